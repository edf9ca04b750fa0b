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
#include <cstddef>
#include <cstdint>
#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace lantian {

__extension__ typedef __int128 Int128;  // (GCC and Clang; -Wpedantic would otherwise object)

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

    // The same total as add(v[i]) for every i < n (n < 2^40), faster where AVX-512 is there: eight
    // values at a time whose mantissas land at the same limb (a span of 2^32 in magnitude, where a
    // row of a per-column field usually lies) are added exactly as 128-bit integers per lane,
    // positive and negative apart, and the lanes go to the limbs once per run of that limb. Blocks
    // with a non-finite value or mixed limbs take the one-by-one path.
    void add(const double* v, std::size_t n) {
        std::size_t i = 0;
#if defined(__AVX512F__)
        const __m512i exp_mask = _mm512_set1_epi64(0x7ff), frac_mask = _mm512_set1_epi64((std::int64_t{1} << 52) - 1);
        const __m512i implicit = _mm512_set1_epi64(std::int64_t{1} << 52), one = _mm512_set1_epi64(1);
        const __m512i c31 = _mm512_set1_epi64(31), c64 = _mm512_set1_epi64(64);
        __m512i pos_lo = _mm512_setzero_si512(), pos_hi = pos_lo, neg_lo = pos_lo, neg_hi = pos_lo;
        int run_limb = -1;
        auto flush = [&] {
            if (run_limb < 0) return;
            alignas(64) std::uint64_t plo[8], phi[8], nlo[8], nhi[8];
            _mm512_store_si512(plo, pos_lo);
            _mm512_store_si512(phi, pos_hi);
            _mm512_store_si512(nlo, neg_lo);
            _mm512_store_si512(nhi, neg_hi);
            Int128 total = 0;  // (each lane below 2^125 in magnitude; their sum too for n < 2^40)
            for (int l = 0; l < 8; ++l)
                total += ((static_cast<Int128>(phi[l]) << 64) | plo[l]) - ((static_cast<Int128>(nhi[l]) << 64) | nlo[l]);
            add_run(total, run_limb);
            pos_lo = pos_hi = neg_lo = neg_hi = _mm512_setzero_si512();
        };
        for (; i + 8 <= n; i += 8) {
            const __m512i bits = _mm512_loadu_si512(v + i);
            const __m512i biased = _mm512_and_si512(_mm512_maskz_srli_epi64(0xff, bits, 52), exp_mask);
            const __m512i frac = _mm512_and_si512(bits, frac_mask);
            const __mmask8 normal = _mm512_cmpneq_epi64_mask(biased, _mm512_setzero_si512());
            const __mmask8 nonzero = normal | _mm512_cmpneq_epi64_mask(frac, _mm512_setzero_si512());
            if (_mm512_cmpeq_epi64_mask(biased, exp_mask) != 0) {  // non-finite: one by one
                for (int l = 0; l < 8; ++l) add(v[i + l]);
                continue;
            }
            if (nonzero == 0) continue;
            const __m512i mant = _mm512_mask_or_epi64(frac, normal, frac, implicit);
            const __m512i p = _mm512_mask_sub_epi64(_mm512_setzero_si512(), normal, biased, one);
            const __m512i limb = _mm512_maskz_srli_epi64(0xff, p, 5);
            alignas(64) std::int64_t limbs[8];
            _mm512_store_si512(limbs, limb);
            const int first = static_cast<int>(limbs[__builtin_ctz(nonzero)]);  // the first non-zero lane's
            if (_mm512_mask_cmpneq_epi64_mask(nonzero, limb, _mm512_set1_epi64(first)) != 0) {  // mixed limbs
                for (int l = 0; l < 8; ++l) add(v[i + l]);
                continue;
            }
            if (first != run_limb) {
                flush();
                run_limb = first;
            }
            const __m512i shift = _mm512_and_si512(p, c31);
            const __m512i lo = _mm512_maskz_sllv_epi64(nonzero, mant, shift);
            const __m512i hi = _mm512_maskz_srlv_epi64(nonzero, mant, _mm512_sub_epi64(c64, shift));  // (count 64 gives 0)
            const __mmask8 negative = _mm512_cmplt_epi64_mask(bits, _mm512_setzero_si512()) & nonzero;
            const __mmask8 positive = nonzero & ~negative;
            const __m512i new_pos = _mm512_mask_add_epi64(pos_lo, positive, pos_lo, lo);
            pos_hi = _mm512_mask_add_epi64(pos_hi, positive, pos_hi, hi);
            pos_hi = _mm512_mask_add_epi64(pos_hi, _mm512_cmplt_epu64_mask(new_pos, pos_lo) & positive, pos_hi, one);
            pos_lo = new_pos;
            const __m512i new_neg = _mm512_mask_add_epi64(neg_lo, negative, neg_lo, lo);
            neg_hi = _mm512_mask_add_epi64(neg_hi, negative, neg_hi, hi);
            neg_hi = _mm512_mask_add_epi64(neg_hi, _mm512_cmplt_epu64_mask(new_neg, neg_lo) & negative, neg_hi, one);
            neg_lo = new_neg;
        }
        flush();
#endif
        for (; i < n; ++i) add(v[i]);
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
    // A signed 128-bit multiple of 2^(32·limb − 1074) into four limbs (each part below 2^32 in
    // magnitude, the top one signed), counted as one addition.
    void add_run(Int128 run, int limb) {
        if (run == 0) return;
        limbs_[limb] += static_cast<std::int64_t>(run & 0xffffffff);
        limbs_[limb + 1] += static_cast<std::int64_t>((run >> 32) & 0xffffffff);
        limbs_[limb + 2] += static_cast<std::int64_t>((run >> 64) & 0xffffffff);
        limbs_[limb + 3] += static_cast<std::int64_t>(run >> 96);  // arithmetic shift: the sign
        if (++pending_ >= (1 << 29)) normalize();
    }

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
