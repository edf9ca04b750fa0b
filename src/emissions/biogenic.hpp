// Biogenic isoprene and monoterpenes of the photochemical mode: which runs emit them, and the
// emission factors per land class. The activity factors and the per-column loop are in
// kernels/biogenic_kernels.hpp; the method and its simplifications in docs/emissions-photochemistry.md.
#pragma once

#include <array>
#include <string>

#include "biogenic_kernels.hpp"
#include "config/config.hpp"

namespace lantian {

// The biogenic species (CB6r3 names) in the order of their compound classes.
inline constexpr std::array<const char*, 2> kBiogenicSpecies{"ISOP", "TERP"};

struct BiogenicOptions {
    bool on = false;                          // emit (the rest is ignored when false)
    LandClass land_class = LandClass::cropland;
    double scale = 1.0;                       // 1, factor on the emission factors
};

// On only with chemistry.mechanism = cb6r3 and inventory.biogenic = true.
BiogenicOptions biogenic_options(const Config& cfg);

// The compound classes (isoprene, monoterpenes; order of kBiogenicSpecies) with the emission
// factors (µg m-2 h-1 at 303.15 K and PAR 1000 µmol m-2 s-1) of a land class.
std::array<kernels::BiogenicClass, 2> biogenic_classes(LandClass land_class);

}  // namespace lantian
