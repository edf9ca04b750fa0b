// MPI in one place: a communicator wrapper (a single-rank stand-in when the build has no MPI) and
// the run's parallel context — its decomposition, the halo exchange of the prognostic state, exact
// ledger reductions and the gather to the writing rank. Arrays are full-size on every rank; a rank
// computes only its block and keeps the halo it needs current (see docs/parallel.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#ifdef LANTIAN_HAVE_MPI
#include <mpi.h>
#endif

#include "parallel/decomposition.hpp"
#include "parallel/exact_sum.hpp"
#include "window.hpp"

namespace lantian {

struct State;

class Comm {
public:
    Comm() = default;  // one rank, no MPI
    // MPI_COMM_WORLD when MPI is initialised, the single-rank stand-in otherwise.
    static Comm world();
    static bool mpi_built();
    static bool mpi_running();

    int rank() const { return rank_; }
    int size() const { return size_; }
    Comm split(int color) const;  // ranks with the same color, ordered by rank
    int node_size() const;        // ranks of this communicator on this node (collective)
    void max(double* v, std::size_t n) const;
    void max(int* v, std::size_t n) const;
    void sum(std::int64_t* v, std::size_t n) const;
    void barrier() const;

    struct Message {
        int peer;
        std::vector<double>* data;  // receives: sized by the caller
    };
    void exchange(const std::vector<Message>& sends, const std::vector<Message>& receives) const;
#ifdef LANTIAN_HAVE_MPI
    MPI_Comm handle() const { return comm_; }
#endif

private:
    int rank_ = 0, size_ = 1;
#ifdef LANTIAN_HAVE_MPI
    MPI_Comm comm_ = MPI_COMM_NULL;
#endif
};

class Parallel {
public:
    Parallel() = default;  // serial: one rank owns the whole grid
    Parallel(Comm comm, Decomposition dec);

    const Comm& comm() const { return comm_; }
    const Decomposition& decomposition() const { return dec_; }
    bool split() const { return comm_.size() > 1; }
    int rank() const { return comm_.rank(); }
    // The block this rank computes; the whole grid when `dec` was default.
    Box own() const { return own_; }
    kernels::Window window() const { return whole_ ? kernels::Window{} : kernels::Window{own_.i0, own_.i1, own_.j0, own_.j1}; }
    // The block grown by hx columns and hy rows, clipped to the grid (the whole grid when not split).
    kernels::Window grown_window(int hx, int hy) const;

    // Halo exchange of the prognostic state (air mass and every tracer): afterwards this rank holds
    // current values in its block grown by hx columns and hy rows (clipped to the grid), whichever
    // ranks own them. Corner cells are included. Diagnostic fields are not exchanged (no process
    // reads a neighbour's; outside its block a rank's copy is stale).
    void exchange(State& st, int hx, int hy) const;
    // Every rank's block (layers [k0, k1), all by default) into `st` on `root`: air mass, tracers
    // and the diagnostic fields (State::diagnostics; every rank has requested the same); other
    // ranks' arrays are untouched.
    void gather(State& st, int root, int k0 = 0, int k1 = -1) const;
    // Sums of every rank's accumulators (exact, so independent of the decomposition).
    void reduce(std::vector<ExactSum>& sums) const;
    double max(double v) const {
        comm_.max(&v, 1);
        return v;
    }
    bool any(bool flag) const {
        int v = flag ? 1 : 0;
        comm_.max(&v, 1);
        return v != 0;
    }

    // Wall time spent in halo exchanges and reductions (s) and bytes moved, for benchmarks.
    mutable double comm_s = 0;
    mutable double halo_bytes = 0;

private:
    Comm comm_;
    Decomposition dec_;
    Box own_{0, 1 << 30, 0, 1 << 30};
    bool whole_ = true;
    mutable std::vector<std::vector<double>> send_buffers_, receive_buffers_;  // per peer rank
};

}  // namespace lantian
