// Storage precision of tracer fields. Single by default (as CMAQ stores tracers); the CMake option
// LANTIAN_DOUBLE_PRECISION switches storage to double so tests can show what precision costs.
// Sums (ledger, column integrals) and air mass are always double.
#pragma once

namespace lantian {
#ifdef LANTIAN_DOUBLE_PRECISION
using real = double;
#else
using real = float;
#endif
}  // namespace lantian
