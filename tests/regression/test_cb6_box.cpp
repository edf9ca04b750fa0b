// Issue 14 proofs on the shipped CB6r3 mechanism (configs/mechanisms/cb6r3.txt), its photolysis
// table (cb6r3_photolysis.txt) and the Rodas3 solver in a box model (src/chemistry/box_model.hpp):
//   1. Rodas3 at the run's default tolerances (300 s calls, step size carried) against SUNDIALS
//      CVODE (BDF, rtol 1e-9) over 5 diurnal days, polluted-urban and clean-rural boxes: O3, NO2,
//      HNO3, FORM, H2O2 and PAN within 1% or 0.05 ppb at every hour;
//   2. ozone regimes: VOC-limited urban box (−30% NOx raises the afternoon O3 maximum, −30% VOC
//      lowers it) and NOx-limited rural box (−30% NOx lowers it);
//   3. nitrogen conservation over 5 days with emissions accounted.
// Site and conditions (docs/chemistry-solver.md, "CB6r3 box model"): Baotou, 40.6 N 110.0 E,
// 1050 m above sea level, p = 890 hPa, 1-5 July; T = 297 + 6 cos(2π (t_solar − 15 h)/24 h) K;
// H2O mole fraction 1.2%; clear sky, albedo 0.1. Rates and emissions are constant over each hour
// (evaluated at its middle), so both integrators solve the same piecewise-constant problem.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "chemistry/box_model.hpp"
#include "config/time_utils.hpp"
#include "met/solar_geometry.hpp"
#include "support/cvode_reference.hpp"

using namespace lantian;

namespace {

constexpr double kLat = 40.6, kLon = 110.0;   // degrees
constexpr double kAltitude_m = 1050;
constexpr double kP_Pa = 89000;
constexpr double kH2oMoleFraction = 0.012;
constexpr int kHours = 120;                   // 5 days
constexpr double kVentilation_per_s = 1.0 / (24 * 3600.0);  // exchange with background air, τ = 24 h
constexpr double kPi = 3.14159265358979323846;

// 2025-06-30 16:40 UTC = 00:00 local solar time on 1 July at 110 E.
double start_epoch_s() { return static_cast<double>(days_from_civil(2025, 6, 30)) * 86400.0 + 16 * 3600.0 + 40 * 60.0; }

chem::BoxEnvironment environment(int hour) {
    const double epoch = start_epoch_s() + (hour + 0.5) * 3600.0;  // middle of the hour
    const double t_solar_h = std::fmod(hour + 0.5, 24.0);
    chem::BoxEnvironment env;
    env.T_K = 297.0 + 6.0 * std::cos(2 * kPi * (t_solar_h - 15.0) / 24.0);
    env.p_Pa = kP_Pa;
    env.h2o_molec_cm3 = kH2oMoleFraction * chem::air_number_density(env.T_K, env.p_Pa);
    env.light.cos_zenith = cos_solar_zenith(kLat, kLon, epoch);
    env.light.altitude_m = kAltitude_m;
    return env;
}

using PpbList = std::vector<std::pair<const char*, double>>;

// Initial state (ppb) and emissions (ppb h-1) in CB6r3 species; background air for ventilation.
struct Scenario {
    const char* name;
    PpbList initial_ppb, emission_ppb_h;
};

const PpbList kBackgroundPpb = {{"O3", 40}, {"CO", 120}};

Scenario urban() {
    return {"polluted urban",
            {{"NO", 10}, {"NO2", 20}, {"O3", 30}, {"CO", 400}, {"SO2", 5}, {"HNO3", 1}, {"PAN", 0.5}, {"H2O2", 1},
             {"FORM", 4}, {"ALD2", 2}, {"ALDX", 1}, {"PAR", 60}, {"OLE", 2}, {"IOLE", 0.5}, {"ETH", 3}, {"ETHA", 5},
             {"ETHY", 2}, {"PRPA", 3}, {"TOL", 3}, {"XYLMN", 2}, {"BENZENE", 1}, {"ISOP", 0.5}, {"MEOH", 5},
             {"ETOH", 2}, {"ACET", 3}, {"KET", 1}},
            {{"NO", 3.0}, {"NO2", 0.3}, {"CO", 30}, {"SO2", 0.5}, {"PAR", 4.5}, {"OLE", 0.22}, {"IOLE", 0.04},
             {"ETH", 0.22}, {"ETHA", 0.15}, {"ETHY", 0.08}, {"PRPA", 0.15}, {"TOL", 0.22}, {"XYLMN", 0.19},
             {"BENZENE", 0.04}, {"FORM", 0.11}, {"ALD2", 0.08}, {"ALDX", 0.04}, {"MEOH", 0.08}, {"ISOP", 0.05}}};
}

Scenario rural() {
    return {"clean rural",
            {{"NO", 0.1}, {"NO2", 0.5}, {"O3", 40}, {"CO", 120}, {"HNO3", 0.3}, {"PAN", 0.2}, {"H2O2", 2},
             {"FORM", 1}, {"ALD2", 0.3}, {"PAR", 5}, {"ETHA", 1}, {"ACET", 1}, {"ISOP", 1}},
            {{"NO", 0.05}, {"NO2", 0.005}, {"CO", 1}, {"PAR", 0.3}, {"FORM", 0.02}, {"ISOP", 0.6}, {"TERP", 0.05}}};
}

bool is_nox(const std::string& s) { return s == "NO" || s == "NO2"; }

struct Cb6 {
    chem::Mechanism mech;
    chem::PhotolysisTable table;
    Cb6()
        : mech(chem::read_mechanism_file(std::string(LANTIAN_SOURCE_DIR) + "/configs/mechanisms/cb6r3.txt")),
          table(chem::read_photolysis_table(std::string(LANTIAN_SOURCE_DIR) + "/configs/mechanisms/cb6r3_photolysis.txt")) {
        chem::bind_to_mechanism(table, mech);
    }
};

const Cb6& cb6() {
    static const Cb6 m;
    return m;
}

// ppb at the initial conditions' T and p → molec cm-3 vector; emissions scaled per class.
std::vector<double> to_vector(const chem::BoxModel& box, const PpbList& ppb, double nox_scale, double voc_scale, double per_s) {
    const chem::BoxEnvironment env0 = environment(0);
    std::vector<double> v(static_cast<std::size_t>(box.nspecies()), 0.0);
    for (const auto& [name, x] : ppb) {
        const std::string s = name;
        const double scale = is_nox(s) ? nox_scale : (s == "CO" || s == "SO2") ? 1.0 : voc_scale;
        v[static_cast<std::size_t>(box.index(s))] = scale * x * chem::ppb_to_molec_cm3(1.0, env0.T_K, env0.p_Pa) * per_s;
    }
    return v;
}

struct Run {
    std::vector<std::vector<double>> hourly;  // c at the end of each hour
};

// Rodas3 over the 5 days; emissions scaled (NOx: NO, NO2; VOC: every organic species emitted).
Run run_box(const chem::BoxModel& box, const Scenario& sc, double nox_scale = 1, double voc_scale = 1) {
    chem::BoxState st = box.empty_state();
    st.c = to_vector(box, sc.initial_ppb, 1, 1, 1);
    const std::vector<double> src = box.sources(to_vector(box, sc.emission_ppb_h, nox_scale, voc_scale, 1 / 3600.0),
                                                to_vector(box, kBackgroundPpb, 1, 1, 1));
    Run r;
    for (int hour = 0; hour < kHours; ++hour) {
        box.advance(st, 3600, box.rate_constants(environment(hour)), src);
        r.hourly.push_back(st.c);
    }
    return r;
}

double ppb(const std::vector<double>& c, int s, int hour) {
    const chem::BoxEnvironment env = environment(hour);
    return chem::molec_cm3_to_ppb(c[static_cast<std::size_t>(s)], env.T_K, env.p_Pa);
}

// Afternoon O3 maximum of the last day (ppb, hourly values, 12-18 h local solar time).
double afternoon_o3_max(const chem::BoxModel& box, const Run& r) {
    const int o3 = box.index("O3");
    double m = 0;
    for (int hour = kHours - 24 + 12; hour < kHours - 24 + 18; ++hour) m = std::max(m, ppb(r.hourly[static_cast<std::size_t>(hour)], o3, hour));
    return m;
}

chem::BoxOptions box_options() {
    chem::BoxOptions o;
    o.ventilation_per_s = kVentilation_per_s;
    return o;
}

}  // namespace

TEST_CASE("CB6r3 box: Rodas3 agrees with CVODE (BDF) over 5 diurnal days, urban and rural", "[regression]") {
    const chem::BoxModel box(cb6().mech, cb6().table, box_options());
    const char* checked[] = {"O3", "NO2", "HNO3", "FORM", "H2O2", "PAN"};
    for (const Scenario& sc : {urban(), rural()}) {
        const Run rodas = run_box(box, sc);
        test::Cvode cvode(box.system(), 1e-9, 1e-2);
        std::vector<double> ref = to_vector(box, sc.initial_ppb, 1, 1, 1);
        const std::vector<double> src = box.sources(to_vector(box, sc.emission_ppb_h, 1, 1, 1 / 3600.0), to_vector(box, kBackgroundPpb, 1, 1, 1));
        std::vector<double> worst_rel(std::size(checked), 0.0), worst_ppb(std::size(checked), 0.0), worst_frac(std::size(checked), 0.0);
        for (int hour = 0; hour < kHours; ++hour) {
            cvode.integrate(3600, ref, box.rate_constants(environment(hour)), src);
            const std::vector<double>& c = rodas.hourly[static_cast<std::size_t>(hour)];
            for (std::size_t q = 0; q < std::size(checked); ++q) {
                const int s = box.index(checked[q]);
                const double a = ppb(c, s, hour), b = ppb(ref, s, hour);
                const double dev = std::fabs(a - b), allowed = std::max(0.01 * std::fabs(b), 0.05);
                CHECK(dev <= allowed);
                worst_frac[q] = std::max(worst_frac[q], dev / allowed);
                worst_ppb[q] = std::max(worst_ppb[q], dev);
                if (b > 0.05) worst_rel[q] = std::max(worst_rel[q], dev / b);
            }
        }
        std::printf("CB6r3 box %s, Rodas3 (rtol 1e-3, atol 1e5, 300 s calls, step carried) vs CVODE BDF (rtol 1e-9), 120 hours:\n", sc.name);
        for (std::size_t q = 0; q < std::size(checked); ++q)
            std::printf("  %-5s max |dev| %.3e ppb, max relative (above 0.05 ppb) %.3e, %.3f of the allowed\n", checked[q], worst_ppb[q],
                        worst_rel[q], worst_frac[q]);
    }
}

TEST_CASE("CB6r3 box: VOC-limited urban and NOx-limited rural ozone regimes", "[regression]") {
    const chem::BoxModel box(cb6().mech, cb6().table, box_options());
    const double u = afternoon_o3_max(box, run_box(box, urban()));
    const double u_nox = afternoon_o3_max(box, run_box(box, urban(), 0.7, 1));
    const double u_voc = afternoon_o3_max(box, run_box(box, urban(), 1, 0.7));
    const double r = afternoon_o3_max(box, run_box(box, rural()));
    const double r_nox = afternoon_o3_max(box, run_box(box, rural(), 0.7, 1));
    const double r_voc = afternoon_o3_max(box, run_box(box, rural(), 1, 0.7));
    std::printf("afternoon O3 max on day 5 (ppb): urban base %.2f, NOx -30%% %.2f, VOC -30%% %.2f; rural base %.2f, NOx -30%% %.2f, VOC -30%% %.2f\n",
                u, u_nox, u_voc, r, r_nox, r_voc);
    CHECK(u_nox > u);
    CHECK(u_voc < u);
    CHECK(r_nox < r);
}

TEST_CASE("CB6r3 box: nitrogen is conserved over 5 days with emissions accounted", "[regression]") {
    chem::BoxOptions o;  // no ventilation: N changes only by emission (and the two unbalanced_N reactions)
    o.count_unbalanced_nitrogen = true;
    const chem::BoxModel box(cb6().mech, cb6().table, o);
    const Scenario sc = urban();
    chem::BoxState st = box.empty_state();
    st.c = to_vector(box, sc.initial_ppb, 1, 1, 1);
    // The counter starts at the initial N so that it stays positive whichever way R160/R170 tip it.
    const int counter_index = box.index(chem::kUnbalancedNitrogen);
    const double offset = box.total_nitrogen(st.c);
    st.c[static_cast<std::size_t>(counter_index)] = offset;
    const std::vector<double> e = box.sources(to_vector(box, sc.emission_ppb_h, 1, 1, 1 / 3600.0), {});
    const double n0 = box.total_nitrogen(st.c), e_n = box.total_nitrogen(e);  // molec cm-3, molec cm-3 s-1
    double worst = 0;
    for (int hour = 0; hour < kHours; ++hour) {
        box.advance(st, 3600, box.rate_constants(environment(hour)), e);
        const double expected = n0 + e_n * 3600.0 * (hour + 1) + box.total_nitrogen(st.clipped);
        worst = std::max(worst, std::fabs(box.total_nitrogen(st.c) - expected) / (expected - offset));
    }
    const double counter = st.c[static_cast<std::size_t>(counter_index)] - offset;
    const double clipped_n = box.total_nitrogen(st.clipped) - st.clipped[static_cast<std::size_t>(counter_index)];
    std::printf("CB6r3 box N conservation over 5 days: N0 %.4e (plus the counter's offset), emitted %.4e molec cm-3; largest |N − N0 − emitted − clipped| / N %.2e; "
                "unbalanced_N reactions (R160, R170) removed %.3e (%.2e of N), clipping added %.3e molec cm-3 of N\n",
                n0 - offset, e_n * 3600.0 * kHours, worst, counter, counter / box.total_nitrogen(st.c), clipped_n);
    CHECK(worst < 1e-12);
}
