// Tables shipped in configs/profiles/ and compiled into the binary (CMake generates the
// definitions from the CSV files), so a run without a profiles or speciation key uses exactly the
// shipped files.
#pragma once

#include <string>

namespace lantian {

const std::string& builtin_temporal_profiles_csv();  // configs/profiles/temporal_profiles.csv
const std::string& builtin_speciation_csv();         // configs/profiles/speciation.csv
const std::string& builtin_speciation_cb6r3_csv();   // configs/profiles/speciation_cb6r3.csv
const std::string& builtin_species_csv();            // configs/species.csv

}  // namespace lantian
