// The MPI layer: communicator wrappers, halo exchange of state blocks, gathers and exact reductions.
#include "parallel/parallel.hpp"

#include <chrono>
#include <stdexcept>

#include "state/state.hpp"

namespace lantian {

namespace {
double now_s() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

// Cells of `b` for every field (air mass, then each tracer, then with `diagnostics` each diagnostic
// field in name order, the same on every rank), layer by layer, row by row.
void pack(const State& st, const Box& b, std::vector<double>& out, int k0 = 0, int k1 = -1, bool diagnostics = false) {
    if (k1 < 0) k1 = st.nz;
    out.clear();
    const std::size_t fields = st.nspec + 1 + (diagnostics ? st.diagnostics.size() : 0);
    out.reserve(static_cast<std::size_t>(b.cells()) * (k1 - k0) * fields);
    const std::size_t plane = static_cast<std::size_t>(st.nx) * st.ny;
    auto values = [&](const real* field) {
        for (int k = k0; k < k1; ++k)
            for (int j = b.j0; j < b.j1; ++j) {
                const real* row = field + k * plane + static_cast<std::size_t>(j) * st.nx;
                for (int i = b.i0; i < b.i1; ++i) out.push_back(static_cast<double>(row[i]));
            }
    };
    for (int k = k0; k < k1; ++k)
        for (int j = b.j0; j < b.j1; ++j) {
            const std::size_t base = k * plane + static_cast<std::size_t>(j) * st.nx;
            out.insert(out.end(), st.air_mass_kg.begin() + base + b.i0, st.air_mass_kg.begin() + base + b.i1);
        }
    for (int f = 0; f < st.nspec; ++f) values(st.species(f));
    if (diagnostics)
        for (const auto& [name, field] : st.diagnostics) values(field.data());
}

void unpack(State& st, const Box& b, const std::vector<double>& in, int k0 = 0, int k1 = -1, bool diagnostics = false) {
    if (k1 < 0) k1 = st.nz;
    const std::size_t plane = static_cast<std::size_t>(st.nx) * st.ny;
    std::size_t at = 0;
    auto values = [&](real* field) {
        for (int k = k0; k < k1; ++k)
            for (int j = b.j0; j < b.j1; ++j) {
                real* row = field + k * plane + static_cast<std::size_t>(j) * st.nx;
                for (int i = b.i0; i < b.i1; ++i) row[i] = static_cast<real>(in[at++]);
            }
    };
    for (int k = k0; k < k1; ++k)
        for (int j = b.j0; j < b.j1; ++j) {
            const std::size_t base = k * plane + static_cast<std::size_t>(j) * st.nx;
            for (int i = b.i0; i < b.i1; ++i) st.air_mass_kg[base + i] = in[at++];
        }
    for (int f = 0; f < st.nspec; ++f) values(st.species(f));
    if (diagnostics)
        for (auto& [name, field] : st.diagnostics) values(field.data());
}

// Values of `b` in every layer: air mass and tracers, and the diagnostic fields when `diagnostics`.
std::size_t box_values(const State& st, const Box& b, bool diagnostics = false) {
    return static_cast<std::size_t>(b.cells()) * st.nz * (st.nspec + 1 + (diagnostics ? st.diagnostics.size() : 0));
}

Box grow(const Box& b, int hx, int hy, const Box& grid) {
    return intersect({b.i0 - hx, b.i1 + hx, b.j0 - hy, b.j1 + hy}, grid);
}
}  // namespace

#ifdef LANTIAN_HAVE_MPI
bool Comm::mpi_built() { return true; }
bool Comm::mpi_running() {
    int initialised = 0, finalised = 0;
    MPI_Initialized(&initialised);
    MPI_Finalized(&finalised);
    return initialised && !finalised;
}
Comm Comm::world() {
    Comm c;
    if (!mpi_running()) return c;
    c.comm_ = MPI_COMM_WORLD;
    MPI_Comm_rank(c.comm_, &c.rank_);
    MPI_Comm_size(c.comm_, &c.size_);
    return c;
}
Comm Comm::split(int color) const {
    if (comm_ == MPI_COMM_NULL) return *this;
    Comm c;
    MPI_Comm_split(comm_, color, rank_, &c.comm_);
    MPI_Comm_rank(c.comm_, &c.rank_);
    MPI_Comm_size(c.comm_, &c.size_);
    return c;
}
int Comm::node_size() const {
    if (comm_ == MPI_COMM_NULL || size_ == 1) return 1;
    MPI_Comm node = MPI_COMM_NULL;
    MPI_Comm_split_type(comm_, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node);
    int n = 1;
    MPI_Comm_size(node, &n);
    MPI_Comm_free(&node);
    return n;
}
void Comm::max(double* v, std::size_t n) const {
    if (size_ > 1) MPI_Allreduce(MPI_IN_PLACE, v, static_cast<int>(n), MPI_DOUBLE, MPI_MAX, comm_);
}
void Comm::max(int* v, std::size_t n) const {
    if (size_ > 1) MPI_Allreduce(MPI_IN_PLACE, v, static_cast<int>(n), MPI_INT, MPI_MAX, comm_);
}
void Comm::sum(std::int64_t* v, std::size_t n) const {
    if (size_ > 1) MPI_Allreduce(MPI_IN_PLACE, v, static_cast<int>(n), MPI_INT64_T, MPI_SUM, comm_);
}
void Comm::barrier() const {
    if (size_ > 1) MPI_Barrier(comm_);
}
void Comm::exchange(const std::vector<Message>& sends, const std::vector<Message>& receives) const {
    if (size_ <= 1) return;
    std::vector<MPI_Request> req;
    req.reserve(sends.size() + receives.size());
    for (const Message& m : receives) {
        req.emplace_back();
        MPI_Irecv(m.data->data(), static_cast<int>(m.data->size()), MPI_DOUBLE, m.peer, 17, comm_, &req.back());
    }
    for (const Message& m : sends) {
        req.emplace_back();
        MPI_Isend(m.data->data(), static_cast<int>(m.data->size()), MPI_DOUBLE, m.peer, 17, comm_, &req.back());
    }
    MPI_Waitall(static_cast<int>(req.size()), req.data(), MPI_STATUSES_IGNORE);
}
#else
bool Comm::mpi_built() { return false; }
bool Comm::mpi_running() { return false; }
Comm Comm::world() { return {}; }
Comm Comm::split(int) const { return *this; }
int Comm::node_size() const { return 1; }
void Comm::max(double*, std::size_t) const {}
void Comm::max(int*, std::size_t) const {}
void Comm::sum(std::int64_t*, std::size_t) const {}
void Comm::barrier() const {}
void Comm::exchange(const std::vector<Message>&, const std::vector<Message>&) const {}
#endif

Parallel::Parallel(Comm comm, Decomposition dec)
    : comm_(std::move(comm)), dec_(std::move(dec)), own_(dec_.box(comm_.rank())), whole_(dec_.ranks() == 1) {
    if (dec_.ranks() != comm_.size())
        throw std::logic_error("decomposition into " + std::to_string(dec_.ranks()) + " blocks for " +
                               std::to_string(comm_.size()) + " ranks");
}

void Parallel::exchange(State& st, int hx, int hy) const {
    if (!split()) return;
    const double t0 = now_s();
    const Box grid = dec_.grid();
    const Box need = grow(own_, hx, hy, grid);
    // Buffers are kept between calls (no fresh pages every exchange).
    std::vector<std::vector<double>>& out = send_buffers_;
    std::vector<std::vector<double>>& in = receive_buffers_;
    out.resize(comm_.size());
    in.resize(comm_.size());
    std::vector<Comm::Message> sends, receives;
    std::vector<Box> in_boxes;
    std::vector<int> in_slots;
    for (int r = 0; r < comm_.size(); ++r) {
        if (r == comm_.rank()) continue;
        const Box theirs = dec_.box(r);
        const Box send = intersect(grow(theirs, hx, hy, grid), own_);
        if (!send.empty()) {
            pack(st, send, out[r]);
            sends.push_back({r, &out[r]});
        }
        const Box recv = intersect(need, theirs);
        if (!recv.empty()) {
            in[r].resize(box_values(st, recv));
            receives.push_back({r, &in[r]});
            in_boxes.push_back(recv);
            in_slots.push_back(r);
        }
    }
    comm_.exchange(sends, receives);
    for (std::size_t n = 0; n < in_boxes.size(); ++n) {
        unpack(st, in_boxes[n], in[in_slots[n]]);
        halo_bytes += 8.0 * static_cast<double>(in[in_slots[n]].size());
    }
    comm_s += now_s() - t0;
}

void Parallel::gather(State& st, int root, int k0, int k1) const {
    if (!split()) return;
    if (k1 < 0) k1 = st.nz;
    const double t0 = now_s();
    std::vector<std::vector<double>> in;
    std::vector<Comm::Message> sends, receives;
    std::vector<double> mine;
    in.reserve(comm_.size());
    if (comm_.rank() == root) {
        for (int r = 0; r < comm_.size(); ++r) {
            if (r == root) continue;
            in.emplace_back(box_values(st, dec_.box(r), true) / st.nz * (k1 - k0));
            receives.push_back({r, &in.back()});
        }
    } else {
        pack(st, own_, mine, k0, k1, true);
        sends.push_back({root, &mine});
    }
    comm_.exchange(sends, receives);
    if (comm_.rank() == root) {
        std::size_t n = 0;
        for (int r = 0; r < comm_.size(); ++r)
            if (r != root) unpack(st, dec_.box(r), in[n++], k0, k1, true);
    }
    comm_s += now_s() - t0;
}

kernels::Window Parallel::grown_window(int hx, int hy) const {
    if (whole_) return {};
    const Box b = grow(own_, hx, hy, dec_.grid());
    return {b.i0, b.i1, b.j0, b.j1};
}

void Parallel::reduce(std::vector<ExactSum>& sums) const {
    if (!split()) return;
    const double t0 = now_s();
    std::vector<std::int64_t> words(sums.size() * ExactSum::kWords);
    for (std::size_t n = 0; n < sums.size(); ++n) sums[n].pack(words.data() + n * ExactSum::kWords);
    comm_.sum(words.data(), words.size());
    for (std::size_t n = 0; n < sums.size(); ++n) sums[n].unpack(words.data() + n * ExactSum::kWords);
    comm_s += now_s() - t0;
}

}  // namespace lantian
