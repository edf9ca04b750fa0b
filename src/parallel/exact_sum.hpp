// Exact, order-independent summation of doubles (a long fixed-point accumulator, after Kulisch).
// Every ledger term is a sum over columns or lines; summed exactly, the total is the same however
// the columns are split over threads and MPI ranks, so ledgers are identical for any decomposition.
//
// A finite double is M·2^(p−1074) with an integer M < 2^53 and p ∈ [0, 2046]. The accumulator holds
// Σ M·2^p in 32-bit limbs stored in int64 (so up to 2^30 additions fit before a carry pass): adding
// one value touches three limbs. to_double() rounds the exact total once the carries are propagated.
#pragma once

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>

namespace lantian {

class ExactSum {
public:
    static constexpr int kLimbs = 70;  // 32·70 bits ≥ 2046 + 53 + headroom for the carries

    void add(double v) {
        const std::uint64_t bits = std::bit_cast<std::uint64_t>(v);
        const int biased = static_cast<int>((bits >> 52) & 0x7ff);
        if (biased == 0x7ff) {
            nonfinite_ = true;
            return;
        }
        std::uint64_t mant = bits & ((std::uint64_t{1} << 52) - 1);
        int p = 0;
        if (biased != 0) {
            mant |= std::uint64_t{1} << 52;
            p = biased - 1;
        }
        if (mant == 0) return;
        const int limb = p >> 5, shift = p & 31;
        const std::uint64_t lo = (mant & 0xffffffffu) << shift;  // < 2^63
        const std::uint64_t hi = (mant >> 32) << shift;          // < 2^52
        const std::int64_t l0 = static_cast<std::int64_t>(lo & 0xffffffffu);
        const std::int64_t l1 = static_cast<std::int64_t>((lo >> 32) + (hi & 0xffffffffu));
        const std::int64_t l2 = static_cast<std::int64_t>(hi >> 32);
        if (bits >> 63) {
            limbs_[limb] -= l0;
            limbs_[limb + 1] -= l1;
            limbs_[limb + 2] -= l2;
        } else {
            limbs_[limb] += l0;
            limbs_[limb + 1] += l1;
            limbs_[limb + 2] += l2;
        }
        if (++pending_ >= (1 << 29)) normalize();
    }

    void add(const ExactSum& o) {
        for (int i = 0; i < kLimbs; ++i) limbs_[i] += o.limbs_[i];
        nonfinite_ = nonfinite_ || o.nonfinite_;
        pending_ += o.pending_ + 1;
        if (pending_ >= (1 << 29)) normalize();
    }

    // Carries propagated: every limb but the top one in [0, 2^32); the top limb carries the sign.
    void normalize() {
        for (int i = 0; i + 1 < kLimbs; ++i) {
            const std::int64_t carry = limbs_[i] >> 32;  // arithmetic shift: floor division
            limbs_[i] -= carry * (std::int64_t{1} << 32);
            limbs_[i + 1] += carry;
        }
        pending_ = 0;
    }

    // The total, rounded to double from the top limb down (a function of the exact value only).
    double to_double() {
        if (nonfinite_) return std::nan("");
        normalize();
        if (limbs_[kLimbs - 1] < 0) {
            // Negative total (two's complement across the limbs): convert its magnitude.
            ExactSum magnitude;
            for (int i = 0; i < kLimbs; ++i) magnitude.limbs_[i] = -limbs_[i];
            return -magnitude.to_double();
        }
        double r = 0;
        for (int i = kLimbs - 1; i >= 0; --i)
            if (limbs_[i] != 0) r += std::ldexp(static_cast<double>(limbs_[i]), 32 * i - 1074);
        return r;
    }

    // Raw limbs for an MPI sum (the flag travels as the last element).
    static constexpr int kWords = kLimbs + 1;
    void pack(std::int64_t* out) {
        normalize();
        for (int i = 0; i < kLimbs; ++i) out[i] = limbs_[i];
        out[kLimbs] = nonfinite_ ? 1 : 0;
    }
    void unpack(const std::int64_t* in) {
        for (int i = 0; i < kLimbs; ++i) limbs_[i] = in[i];
        nonfinite_ = in[kLimbs] != 0;
        pending_ = 1 << 20;  // sums of many ranks: carry before the next additions pile up
        normalize();
    }

private:
    std::array<std::int64_t, kLimbs> limbs_{};
    int pending_ = 0;
    bool nonfinite_ = false;
};

// Adds items 0..n-1 to `sum`, shared out over the OpenMP threads: add_item(i, part) adds item i's
// values to the calling thread's exact partial sum, and the parts are added (exactly, so in any
// order) at the end: the total is the same for any thread count.
template <class Fn>
void add_parallel(ExactSum& sum, int n, Fn&& add_item) {
#pragma omp parallel
    {
        ExactSum part;
#pragma omp for schedule(static) nowait
        for (int i = 0; i < n; ++i) add_item(i, part);
#pragma omp critical(lantian_exact_sum_add_parallel)
        sum.add(part);
    }
}

}  // namespace lantian
