// Memory and disk a run needs, estimated from the config before anything large is allocated or
// written, and checked against the machine: a run that cannot fit is refused with the estimate
// (ConfigError, exit 2) instead of dying hours later. The figures and the fit behind the memory
// estimate are in docs/resources.md.
#pragma once

#include <string>
#include <vector>


namespace lantian {

// Peak resident memory of one rank (bytes), fitted to measured peaks of single-rank runs
// (docs/resources.md):  M = 26 MiB + 2650 B·columns + 226 B·cells + 10.2 B·cells·tracers.
// Every rank holds the whole grid (the gathers for output need it), so it is per rank.
double estimated_memory_bytes(double nx, double ny, double nz, int tracers);

// The memory this process may use on its node (bytes): the smaller of MemTotal (/proc/meminfo)
// and the cgroup limit (memory.max) when one is set; 0 when neither can be read.
double machine_memory_bytes();

// Ranks of this run placed on this node (MPI shared-memory split; 1 without MPI). Set once by the
// launcher code before the simulations are built; every rank on a node then refuses together.
void set_ranks_on_node(int ranks);
int ranks_on_node();

// Throws ConfigError when `ranks_on_node()` ranks of estimated_memory_bytes() exceed the node's
// memory; the message has the estimate, the grid and tracers behind it, and the limit.
void check_memory(int nx, int ny, int nz, int tracers);

// One file a run will write (the final size, bytes) and whether its data are compressed.
struct PlannedFile {
    std::string path;
    double bytes = 0;
    bool compressed = false;
};

// The files' folders must exist (else ConfigError: bad input) and be writable (else
// std::runtime_error: a fault of the machine, exit 1). Per file system, the files must fit the
// free space: compressed data are credited at most 4:1, so a run is refused (ConfigError) only
// when even that would not fit. Returns a one-line summary ("output ≈ 1.2 GiB of 40 GiB free on
// /data") for the log.
std::string check_disk_space(const std::vector<PlannedFile>& files);

}  // namespace lantian
