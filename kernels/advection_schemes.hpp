// The advection schemes: the one enum, the names the config file uses for them, and with_scheme(),
// which turns the run-time choice into a compile-time policy once per sweep call. Small on purpose
// (config.hpp includes it): no scheme's arithmetic here, that lives in advection_scheme_<name>.hpp.
#pragma once

#include <array>
#include <cstdlib>
#include <string_view>
#include <type_traits>

namespace lantian::kernels {

// How a sweep reconstructs the tracer inside the upwind cell to get its mean over the air that
// crosses a face. Adding a scheme: a value here, a row in kSchemeNames, a case in with_scheme()
// and a policy header advection_scheme_<name>.hpp (see advection_scheme_upwind.hpp for the shape).
enum class Reconstruction { ppm, upwind };

// Names <-> values, used by the config key `transport.advection` (its parser, its error message
// and its row in docs/config.md).
struct SchemeName {
    Reconstruction value;
    std::string_view name;     // as written in the INI file
    std::string_view summary;  // a few words for docs/config.md
};
inline constexpr std::array<SchemeName, 2> kSchemeNames{{
    {Reconstruction::ppm, "ppm", "piecewise parabolic, monotone (Colella & Woodward 1984)"},
    {Reconstruction::upwind, "upwind", "donor cell, first order"},
}};

// Layout contract between the sweeps and the policies. A line of n cells is held with kGhost ghost
// cells each side (ghosted cell index c = kGhost + i); kGhost is the widest stencil of any scheme
// (PPM's: the upwind cell's parabola needs its neighbours' slopes, i.e. 3 cells). A policy may use
// up to kSchemeWorkArrays scratch arrays of line_stride(ghosted length, lanes) elements each.
inline constexpr int kGhost = 3;
inline constexpr int kSchemeWorkArrays = 5;

// Elements from one array of a line (or block of lines) to the next, in the sweeps' scratch and in
// a policy's work arrays: len × lanes rounded up to a multiple of 16, so that with a cache-line
// aligned scratch block every array starts a 64-byte line (16 floats; 16 doubles are two).
inline constexpr std::ptrdiff_t line_stride(int len, int lanes) {
    return (static_cast<std::ptrdiff_t>(len) * lanes + 15) / 16 * 16;
}

// The policies (one header each). A policy is a stateless struct with
//   static constexpr std::string_view name;   // its kSchemeNames name
//   template <int B> static void tracer_fluxes(int n, const real* q, const double* flux_kg,
//                                              const double* a1, const double* a2, real* work,
//                                              double* gflux_ug);
// see advection_scheme_ppm.hpp for the meaning of the arguments.
struct PpmScheme;
struct UpwindScheme;

// Calls fn(std::type_identity<Policy>{}) with the policy of `scheme` (a tag rather than a Policy{}
// object so this header needs only the declarations above; the caller includes the policy headers
// and unwraps it with `typename decltype(tag)::type`). No `default`: -Wswitch (an error in CI)
// flags a value without a case, and an out-of-range value stops the program instead of silently
// running another scheme (kernels do not throw).
template <class Fn>
decltype(auto) with_scheme(Reconstruction scheme, Fn&& fn) {
    switch (scheme) {
    case Reconstruction::ppm: return fn(std::type_identity<PpmScheme>{});
    case Reconstruction::upwind: return fn(std::type_identity<UpwindScheme>{});
    }
    std::abort();  // unreachable: not a Reconstruction value
}

}  // namespace lantian::kernels
