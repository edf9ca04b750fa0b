// Photolysis rates (src/chemistry/photolysis.hpp, docs/photolysis.md) for the shipped CB6r3
// mechanism: every J name parameterised, clear-sky values against the MCM v3.3.1 parameters, the
// χ dependence, night, the cloud, albedo and altitude corrections, and bad tables naming FILE:LINE.
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <sstream>
#include <vector>

#include "chemistry/mechanism_file.hpp"
#include "chemistry/photolysis.hpp"
#include "config/config.hpp"

using namespace lantian;
using namespace lantian::chem;
using Catch::Matchers::Contains;

namespace {
const std::string kDir = std::string(LANTIAN_SOURCE_DIR) + "/configs/mechanisms/";

const Mechanism& cb6r3() {
    static const Mechanism m = read_mechanism_file(kDir + "cb6r3.txt");
    return m;
}

const PhotolysisTable& table() {
    static const PhotolysisTable t = [] {
        PhotolysisTable t = read_photolysis_table(kDir + "cb6r3_photolysis.txt");
        bind_to_mechanism(t, cb6r3());
        return t;
    }();
    return t;
}

std::vector<double> rates(const PhotolysisInputs& in) {
    std::vector<double> j(table().order.size(), -1.0);
    photolysis_rates(table(), in, j.data());
    return j;
}

double rate(const std::string& name, const PhotolysisInputs& in) {
    const int k = cb6r3().find_photolysis(name);
    REQUIRE(k >= 0);
    return rates(in)[static_cast<size_t>(k)];
}

PhotolysisInputs sun(double zenith_deg) {
    PhotolysisInputs in;
    in.cos_zenith = std::cos(zenith_deg * std::numbers::pi / 180.0);
    return in;
}

PhotolysisTable parse(const std::string& text) {
    std::istringstream is(text);
    return parse_photolysis_table(is, "bad.txt");
}
}  // namespace

TEST_CASE("every CB6r3 photolysis reaction has a J parameterisation", "[unit]") {
    const auto& names = cb6r3().photolysis_names;
    REQUIRE(names.size() == 24);
    REQUIRE(table().order.size() == names.size());
    for (size_t i = 0; i < names.size(); ++i) {
        INFO(names[i]);
        CHECK(table().map[static_cast<size_t>(table().order[i])].name == names[i]);
        CHECK(rates(sun(30))[i] > 0);
    }
}

TEST_CASE("clear-sky J(NO2) and J(O1D) at overhead sun match the MCM v3.3.1 parameters", "[unit]") {
    // MCM v3.3.1 (Saunders et al., 2003): J4 (NO2) l = 1.165e-2 s-1, m = 0.244, n = 0.267 and
    // J1 (O3 -> O1D) l = 6.073e-5 s-1, m = 1.743, n = 0.474; at χ = 0, J = l exp(−n).
    const PhotolysisInputs in = sun(0);
    const double jno2 = rate("NO2_IUPAC10", in);
    CHECK(jno2 == Approx(1.165e-2 * std::exp(-0.267)).epsilon(1e-12));  // 8.92e-3 s-1
    CHECK(jno2 > 8e-3);
    CHECK(jno2 < 1e-2);
    const double jo1d = rate("O3_O1D_IUPAC10", in);
    CHECK(jo1d == Approx(6.073e-5 * std::exp(-0.474)).epsilon(1e-12));  // 3.78e-5 s-1
    CHECK(jo1d > 2e-5);
    CHECK(jo1d < 5e-5);
    // A combination: ISPD = 0.5 (J18 + J19 + J23 + J24).
    const double jispd = rate("ISPD", in);
    CHECK(jispd == Approx(1.482e-6 * std::exp(-0.298) + 2.4246e-6 * std::exp(-0.296)).epsilon(1e-12));
}

TEST_CASE("J decreases with the solar zenith angle and is exactly 0 at night", "[unit]") {
    std::vector<double> prev = rates(sun(0));
    for (double z = 2; z < 90; z += 2) {
        const std::vector<double> now = rates(sun(z));
        for (size_t i = 0; i < now.size(); ++i) {
            INFO(cb6r3().photolysis_names[i] << " at " << z << " deg");
            CHECK(now[i] < prev[i]);
            CHECK(now[i] > 0);
        }
        prev = now;
    }
    for (double c : {0.0, -1e-12, -0.3, -1.0}) {
        PhotolysisInputs in;
        in.cos_zenith = c;
        in.albedo = 0.9;
        in.altitude_m = 3000;
        for (double j : rates(in)) CHECK(j == 0.0);
    }
}

TEST_CASE("clouds reduce J below cloud; an unknown cloud amount leaves it unchanged", "[unit]") {
    const double clear = rate("NO2_IUPAC10", sun(30));
    PhotolysisInputs in = sun(30);
    in.cloud_fraction = 1.0;
    in.cloud_optical_depth = 20;
    const double overcast = rate("NO2_IUPAC10", in);
    CHECK(overcast < 0.6 * clear);
    CHECK(overcast > 0);
    in.cloud_fraction = 0.5;
    const double broken = rate("NO2_IUPAC10", in);
    CHECK(broken < clear);
    CHECK(broken > overcast);
    // τ from the liquid water path: 0.15 · LWP (r_e = 10 µm), so 100 g m-2 ≡ τ = 15.
    PhotolysisInputs lwp = sun(30);
    lwp.cloud_fraction = 1.0;
    lwp.liquid_water_path_g_m2 = 100;
    PhotolysisInputs tau = lwp;
    tau.cloud_optical_depth = 15;
    CHECK(cloud_factor(lwp) == Approx(cloud_factor(tau)).epsilon(1e-12));
    CHECK(cloud_factor(lwp) < 1);
    // Thicker cloud, darker below.
    tau.cloud_optical_depth = 50;
    CHECK(cloud_factor(tau) < cloud_factor(lwp));
    // Thin cloud never brightens (cap), unknown amount or above the cloud: no correction.
    tau.cloud_optical_depth = 0;
    CHECK(cloud_factor(tau) <= 1.0);
    PhotolysisInputs unknown = sun(30);
    unknown.cloud_fraction = 1.0;
    CHECK(cloud_factor(unknown) == 1.0);
    PhotolysisInputs above = in;
    above.below_cloud = false;
    CHECK(cloud_factor(above) == 1.0);
}

TEST_CASE("snow albedo raises J; the reference albedo leaves it unchanged", "[unit]") {
    PhotolysisInputs in = sun(60);
    const double ref = rate("NO2_IUPAC10", in);
    in.albedo = kReferenceAlbedo;
    CHECK(rate("NO2_IUPAC10", in) == ref);
    in.albedo = 0.8;  // fresh snow
    const double snow = rate("NO2_IUPAC10", in);
    CHECK(snow > 1.5 * ref);
    CHECK(snow == Approx(ref * (1 + 1.6) / (1 + 0.2)).epsilon(1e-12));
    CHECK(albedo_factor(0.0) < 1.0);
    CHECK(albedo_factor(5.0) == albedo_factor(1.0));  // clamped
}

TEST_CASE("altitude raises J up to the cap", "[unit]") {
    PhotolysisInputs in = sun(20);
    const double sea = rate("O3_O1D_IUPAC10", in);
    in.altitude_m = 1000;
    const double baotou = rate("O3_O1D_IUPAC10", in);
    CHECK(baotou > sea);
    CHECK(baotou == Approx(1.05 * sea).epsilon(1e-12));
    CHECK(altitude_factor(-400) == 1.0);
    CHECK(altitude_factor(10000) == Approx(1.5));
    CHECK(altitude_factor(30000) == 1.5);
    CHECK(altitude_factor(1e9) == 1.5);
}

TEST_CASE("bad photolysis tables are ConfigErrors naming FILE:LINE", "[unit]") {
    const std::string head = "[mcm]\nJ4 1.165e-2 0.244 0.267\n[map]\n";
    CHECK_THROWS_AS(parse(head + "NO2 J4 maybe\n"), ConfigError);
    CHECK_THROWS_WITH(parse(head + "NO2 J4 maybe\n"), Contains("bad.txt:4") && Contains("status"));
    CHECK_THROWS_WITH(parse(head + "NO2 J9 exact\n"), Contains("bad.txt:4") && Contains("J9"));
    CHECK_THROWS_WITH(parse(head + "NO2 x*J4 exact\n"), Contains("bad.txt:4") && Contains("coefficient"));
    CHECK_THROWS_WITH(parse(head + "NO2 -1*J4 exact\n"), Contains("bad.txt:4"));
    CHECK_THROWS_WITH(parse(head + "NO2 exact\n"), Contains("bad.txt:4"));
    CHECK_THROWS_WITH(parse(head + "NO2 J4 exact\nNO2 J4 exact\n"), Contains("bad.txt:5") && Contains("duplicate"));
    CHECK_THROWS_WITH(parse("[mcm]\nJ4 1.1e-2 0.2\n"), Contains("bad.txt:2"));
    CHECK_THROWS_WITH(parse("[mcm]\nJ4 1.1e-2x 0.2 0.3\n"), Contains("bad.txt:2") && Contains("malformed"));
    CHECK_THROWS_WITH(parse("[mcm]\nJ4 inf 0.2 0.3\n"), Contains("bad.txt:2"));
    CHECK_THROWS_WITH(parse("[mcm]\nJ4 0 0.2 0.3\n"), Contains("bad.txt:2"));
    CHECK_THROWS_WITH(parse("[mcm]\nJ4 1e-2 0.2 0.3\nJ4 1e-2 0.2 0.3\n"), Contains("bad.txt:3") && Contains("duplicate"));
    CHECK_THROWS_WITH(parse("\n# c\nJ4 1e-2 0.2 0.3\n"), Contains("bad.txt:3") && Contains("outside"));
    CHECK_THROWS_WITH(parse("[jvals]\n"), Contains("bad.txt:1") && Contains("unknown section"));
    CHECK_THROWS_AS(read_photolysis_table("/nonexistent/cb6r3_photolysis.txt"), ConfigError);
}

TEST_CASE("a mechanism J name without a parameterisation is a ConfigError naming it", "[unit]") {
    PhotolysisTable t = parse("[mcm]\nJ4 1.165e-2 0.244 0.267\n[map]\nNO2_IUPAC10 J4 exact\n");
    CHECK_THROWS_AS(bind_to_mechanism(t, cb6r3()), ConfigError);
    // The first J name of cb6r3.txt without a mapping here is O3_O3P_IUPAC10.
    CHECK_THROWS_WITH(bind_to_mechanism(t, cb6r3()), Contains("O3_O3P_IUPAC10") && Contains("bad.txt"));
}
