// Physical and mathematical constants shared by the kernels and the model: one definition each, in
// SI units, with where the value comes from. Constants only: no functions, no model parameters or tuning
// factors (those stay with the code that uses them, e.g. Briggs' coefficients in the plume rise).
#pragma once

namespace lantian {

// ---- mathematics ---------------------------------------------------------------------------------
inline constexpr double kPi = 3.14159265358979323846;
inline constexpr double kDegToRad = kPi / 180.0;  // rad per degree

// Physical constants live in lantian::phys (spelled phys::kGravity): a file may keep a private
// constant of the same name without an ambiguity while it moves over.
namespace phys {

// ---- the atmosphere ------------------------------------------------------------------------------
inline constexpr double kGravity = 9.81;          // m s-2; the value of WRF's module_model_constants (g = 9.81)
inline constexpr double kVonKarman = 0.4;         // von Kármán constant κ (dimensionless)
inline constexpr double kRd = 287.05;             // J kg-1 K-1, gas constant of dry air (R / M_air)
inline constexpr double kCp = 1004.0;             // J kg-1 K-1, specific heat of dry air at constant pressure
inline constexpr double kBoltzmann = 1.380649e-23;  // J K-1, exact in the 2019 SI
inline constexpr double kKelvinAtZeroCelsius = 273.15;  // K at 0 °C
inline constexpr double kGasConstant = 8.314462618;     // J mol-1 K-1, molar gas constant (exact in the 2019 SI)
inline constexpr double kStandardAtmosphere = 101325.0; // Pa, 1 atm (the unit of the chemistry's Henry's-law constants)
inline constexpr double kAirMolarMass = 0.02897;        // kg mol-1, dry air

// ---- WRF's conventions (module_model_constants), for reading WRF output exactly as WRF wrote it ---
// WRF's R_d and c_p differ slightly from kRd and kCp above; T is recovered from θ with WRF's own.
inline constexpr double kWrfRd = 287.0;           // J kg-1 K-1, WRF's r_d
inline constexpr double kWrfCp = 1004.5;          // J kg-1 K-1, WRF's cp (= 7 r_d / 2)
inline constexpr double kWrfTheta0 = 300.0;       // K, WRF's base potential temperature: θ = T (perturbation) + 300
inline constexpr double kWrfP0 = 1.0e5;           // Pa, reference pressure of θ
inline constexpr double kWrfEpsilon = 0.622;      // R_d / R_v, ratio of the gas constants of dry air and vapour

}  // namespace phys

}  // namespace lantian
