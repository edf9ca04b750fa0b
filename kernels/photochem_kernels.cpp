// Conversions around the stiff solver; see the header.
#include "photochem_kernels.hpp"

namespace lantian::kernels {

namespace {
// Cells are taken in blocks of kBlock, species by species inside a block: the tracer fields and the
// per-species outputs are then read and written in runs, and the [cell][species] array of the solver
// stays in cache for the block.
constexpr int kBlock = 64;
}  // namespace

void gather_concentrations(const ChemGatherViews& v) {
    const int ns = v.ns;
    const std::size_t stride_old = static_cast<std::size_t>(ns + 1), stride = static_cast<std::size_t>(ns);
    const int nblocks = (v.ncell + kBlock - 1) / kBlock;
#pragma omp parallel for schedule(static)
    for (int blk = 0; blk < nblocks; ++blk) {
        const int n0 = blk * kBlock, n1 = n0 + kBlock < v.ncell ? n0 + kBlock : v.ncell;
        for (int s = 0; s < ns; ++s) {
            const real* q = v.q[s];
            const double molar_mass = v.molar_mass[s];
            for (int n = n0; n < n1; ++n) {
                const real value = q[v.cell[n]];
                v.q_old[static_cast<std::size_t>(n) * stride_old + static_cast<std::size_t>(s)] = value;
                v.c[static_cast<std::size_t>(n) * stride + static_cast<std::size_t>(s)] = static_cast<double>(value) * v.conv[n] / molar_mass;
            }
        }
        for (int n = n0; n < n1; ++n)
            v.q_old[static_cast<std::size_t>(n) * stride_old + static_cast<std::size_t>(ns)] = v.so4 ? v.so4[v.cell[n]] : real(0);
    }
}

void scatter_concentrations(const ChemScatterViews& v) {
    const int ns = v.ns;
    const std::size_t nc = static_cast<std::size_t>(v.ncell);
    const std::size_t stride_old = static_cast<std::size_t>(ns + 1), stride = static_cast<std::size_t>(ns);
    const int nblocks = (v.ncell + kBlock - 1) / kBlock;
#pragma omp parallel for schedule(static)
    for (int blk = 0; blk < nblocks; ++blk) {
        const int n0 = blk * kBlock, n1 = n0 + kBlock < v.ncell ? n0 + kBlock : v.ncell;
        for (int s = 0; s < ns; ++s) {
            real* q = v.q[s];
            const double molar_mass = v.molar_mass[s];
            const bool condense = s == v.sulf && v.so4;
            double* change = v.change_ug + static_cast<std::size_t>(s) * nc;
            double* clip = v.clip_ug + static_cast<std::size_t>(s) * nc;
            for (int n = n0; n < n1; ++n) {
                const std::size_t row = static_cast<std::size_t>(n), cell = v.cell[n];
                const double to_q = molar_mass / v.conv[n];
                const double m = v.mass_kg[n];
                real value = static_cast<real>(v.c[row * stride + static_cast<std::size_t>(s)] * to_q);
                if (condense) {
                    v.so4[cell] = static_cast<real>(static_cast<double>(v.so4[cell]) + static_cast<double>(value) * v.so4_per_sulf);
                    value = real(0);
                }
                q[cell] = value;
                clip[row] = v.clipped[row * stride + static_cast<std::size_t>(s)] * to_q * m;
                change[row] = m * (static_cast<double>(value) - static_cast<double>(v.q_old[row * stride_old + static_cast<std::size_t>(s)]));
            }
        }
        for (int n = n0; n < n1; ++n) {
            const std::size_t row = static_cast<std::size_t>(n);
            v.change_ug[static_cast<std::size_t>(ns) * nc + row] =
                v.so4 ? v.mass_kg[n] * (static_cast<double>(v.so4[v.cell[n]]) - static_cast<double>(v.q_old[row * stride_old + static_cast<std::size_t>(ns)]))
                      : 0.0;
        }
    }
}

void column_sums(int nrows, int ncol, int nz, const double* per_cell, double* out) {
    const std::size_t nc = static_cast<std::size_t>(ncol) * static_cast<std::size_t>(nz);
#pragma omp parallel for schedule(static)
    for (int r = 0; r < nrows; ++r) {
        const double* p = per_cell + static_cast<std::size_t>(r) * nc;
        double* o = out + static_cast<std::size_t>(r) * static_cast<std::size_t>(ncol);
        for (int col = 0; col < ncol; ++col) o[col] = 0.0;
        for (int k = 0; k < nz; ++k)
            for (int col = 0; col < ncol; ++col) o[col] += p[static_cast<std::size_t>(k) * static_cast<std::size_t>(ncol) + static_cast<std::size_t>(col)];
    }
}

}  // namespace lantian::kernels
