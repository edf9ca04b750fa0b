// The shipped photochemical mechanism files, compiled into the binary (CMake generates the
// definitions from configs/mechanisms/), so that chemistry.mechanism = cb6r3 needs no file.
#pragma once

#include <string>

namespace lantian {

const std::string& builtin_cb6r3_mechanism();   // configs/mechanisms/cb6r3.txt
const std::string& builtin_cb6r3_photolysis();  // configs/mechanisms/cb6r3_photolysis.txt
const std::string& builtin_cb6r3_background();  // configs/mechanisms/cb6r3_background.csv

}  // namespace lantian
