// FieldVector (src/state/field_vector.hpp): large blocks on 2 MiB boundaries (where transparent
// huge pages can back them), small ones from the ordinary allocator, the values of a std::vector.
#include <catch2/catch.hpp>
#include <cstdint>
#include <numeric>

#include "state/field_vector.hpp"

using lantian::FieldVector;
using lantian::HugePageAllocator;

TEST_CASE("FieldVector: blocks of 4 MiB and more start on a 2 MiB boundary and hold a vector's values", "[unit]") {
    constexpr std::size_t huge = HugePageAllocator<double>::kHugePage;
    const std::size_t big_n = HugePageAllocator<double>::kThreshold / sizeof(double) + 3;  // just above the threshold
    FieldVector<double> big(big_n, 1.5);
    REQUIRE(reinterpret_cast<std::uintptr_t>(big.data()) % huge == 0);
    CHECK(big.front() == 1.5);
    CHECK(big.back() == 1.5);
    std::iota(big.begin(), big.end(), 0.0);
    const FieldVector<double> copy = big;  // copies go through the same allocator
    REQUIRE(reinterpret_cast<std::uintptr_t>(copy.data()) % huge == 0);
    CHECK(copy == big);
    CHECK(copy[big_n - 1] == static_cast<double>(big_n - 1));

    // Below the threshold: std::allocator (no 2 MiB alignment asked for), same behaviour.
    FieldVector<float> small(1000, 2.0f);
    CHECK(small.size() == 1000);
    small.resize(big_n * 2, 3.0f);  // grows past the threshold: moved onto the aligned block
    REQUIRE(reinterpret_cast<std::uintptr_t>(small.data()) % huge == 0);
    CHECK(small[999] == 2.0f);
    CHECK(small[1000] == 3.0f);
    small.clear();
    small.shrink_to_fit();
    CHECK(small.capacity() == 0);
}
