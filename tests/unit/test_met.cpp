// Boundary-layer similarity, the surface-layer weather source and the episode's spring climate.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <limits>
#include <vector>

#include "config/config.hpp"
#include "config/config_parser.hpp"
#include "config/time_utils.hpp"
#include "grid/grid.hpp"
#include "met/boundary_layer.hpp"
#include "met/met_source.hpp"
#include "met/surface_table.hpp"
#include "met_kernels.hpp"
#include "support/test_support.hpp"

using namespace lantian;

TEST_CASE("Neutral surface layer follows the log law and u* inverts it", "[unit][met]") {
    const double ustar = 0.4, z0 = 0.1, neutral = 1e9;
    // U(z) = (u*/κ) ln(z/z0)
    CHECK(bl::wind_at_height(10.0, ustar, z0, neutral, 1000.0) == Approx(ustar / 0.4 * std::log(100.0)).epsilon(1e-6));
    CHECK(bl::ustar_from_wind(bl::wind_at_height(10.0, ustar, z0, neutral, 1000.0), 10.0, z0, neutral) ==
          Approx(ustar).epsilon(1e-6));
    // Above the boundary layer the profile holds its value at the top.
    CHECK(bl::wind_at_height(2000.0, ustar, z0, neutral, 800.0) == Approx(bl::wind_at_height(800.0, ustar, z0, neutral, 800.0)));
}

TEST_CASE("Stability damps mixing and convection enhances it", "[unit][met]") {
    const double ustar = 0.3, h = 800.0, z = 100.0, kz_min = 0.1;
    const double neutral = bl::kz_similarity(z, ustar, 1e9, h, kz_min);
    // Neutral K-profile: κ u* z (1 − z/h)²
    CHECK(neutral == Approx(0.4 * ustar * z * std::pow(1.0 - z / h, 2)).epsilon(1e-6));
    CHECK(bl::kz_similarity(z, ustar, 50.0, h, kz_min) < neutral);    // stable
    CHECK(bl::kz_similarity(z, ustar, -50.0, h, kz_min) > neutral);   // unstable
    CHECK(bl::kz_similarity(h + 10.0, ustar, -50.0, h, kz_min) == kz_min);
    // Stable: u* for the same 10 m wind is smaller than neutral.
    CHECK(bl::ustar_from_wind(3.0, 10.0, 0.1, 30.0) < bl::ustar_from_wind(3.0, 10.0, 0.1, 1e9));
    // Monin–Obukhov length from a positive (upward) heat flux is negative.
    CHECK(bl::mo_length_from_flux(0.3, 280.0, 1.2, 200.0) < 0.0);
    CHECK(bl::mo_length_from_flux(0.3, 280.0, 1.2, -20.0) > 0.0);
}

TEST_CASE("Surface-layer weather from an hourly table is interpolated and checked", "[unit][met]") {
    const std::string dir = test::scratch_dir("sltable");
    Config cfg;
    cfg.grid = test::cartesian(6, 5, 100.0, {0, 10, 30, 60, 100, 200});
    cfg.met.source = MetKind::surface_layer;
    cfg.run.hours = 2;
    cfg.met.table = dir + "/met.csv";
    std::ofstream(cfg.met.table) << "time,speed_m_s,direction_deg,mo_length_m,pblh_m\n"
                                    "2026-01-10T00:00:00,2.0,270,1e9,500\n"
                                    "2026-01-10T01:00:00,4.0,270,1e9,700\n"
                                    "2026-01-10T02:00:00,4.0,360,1e9,700\n";
    const double start = 1768003200.0;  // 2026-01-10T00:00:00Z
    const Grid grid(cfg.grid);
    auto source = make_met_source(cfg, grid, start);
    MetState met;
    met.resize(grid);
    source->evaluate(1800.0, met);  // half way: 3 m/s westerly at 10 m, PBL 600 m
    CHECK(met.u10_m_s[0] == Approx(3.0).epsilon(1e-6));
    CHECK(met.v10_m_s[0] == Approx(0.0).margin(1e-9));
    CHECK(met.pblh_m[7] == Approx(600.0));
    source->evaluate(5400.0, met);  // direction half way from 270 to 360 along the short arc: 315
    CHECK(met.u10_m_s[0] == Approx(4.0 / std::sqrt(2.0)).epsilon(1e-6));
    CHECK(met.v10_m_s[0] == Approx(-4.0 / std::sqrt(2.0)).epsilon(1e-6));
    // Kz is zero at the ground and the top and positive inside.
    CHECK(met.kz_face_z_m2_s[0] == 0.0);
    CHECK(met.kz_face_z_m2_s[2 * grid.columns()] > 0.0);

    struct Case {
        const char* body;
        const char* expect;
    };
    const Case cases[] = {
        {"2026-01-10T00:00:00,2.0,270,1e9,500\n2026-01-10T00:00:00,2.0,270,1e9,500\n", "met.csv:3: time"},
        {"2026-01-10T00:00:00,-2.0,270,1e9,500\n", "met.csv:2: speed_m_s"},
        {"2026-01-10T00:00:00,2.0,270,0,500\n", "mo_length_m"},
        {"2026-01-10T00:00:00,2.0,abc,1e9,500\n", "met.csv:2: direction_deg: abc: not a number"},
        {"2026-01-10T00:00:00,2.0,270,1e9,500\n2026-01-10T01:00:00,2.0,270,1e9,500\n", "covers"},  // run needs 2 h
    };
    for (const Case& c : cases) {
        INFO(c.body);
        std::ofstream(cfg.met.table) << "time,speed_m_s,direction_deg,mo_length_m,pblh_m\n" << c.body;
        CHECK_THROWS_WITH(make_met_source(cfg, grid, start), Catch::Contains(c.expect));
    }
}

// Found by tests/fuzz/fuzz_met_table_csv (docs/fuzzing.md): a row with a sixth value under a
// five-column header named its column from past the end of the header (heap-buffer-overflow).
TEST_CASE("Surface-layer table rows must have the header's columns; a sixth column is ustar_m_s", "[unit][met]") {
    const std::string dir = test::scratch_dir("sltable_columns");
    const double start = 1704844800.0;  // 2024-01-10T00:00:00Z
    const std::string header = "time,speed_m_s,direction_deg,mo_length_m,pblh_m\n";
    struct Case {
        std::string text;
        const char* expect;
    };
    const Case cases[] = {
        {header + "2024-01-10T00:00:00,2.0,270,4.0,500,x\n", "t.csv:2: expected 5 columns (as in the header), found 6"},
        {header + "2024-01-10T00:00:00,2.0,270,4.0,500,0.3\n", "t.csv:2: expected 5 columns (as in the header), found 6"},
        {"time,speed_m_s,direction_deg,mo_length_m,pblh_m,ustar_m_s\n2024-01-10T00:00:00,2.0,270,4.0,500\n",
         "t.csv:2: expected 6 columns (as in the header), found 5"},
        {"time,speed_m_s,direction_deg,mo_length_m,pblh_m,u_star\n", "t.csv:1: header: after pblh_m only ustar_m_s may follow (found 'u_star')"},
    };
    for (const Case& c : cases) {
        INFO(c.text);
        std::ofstream(dir + "/t.csv") << c.text;
        CHECK_THROWS_WITH(read_surface_table(dir + "/t.csv", start, 0.0), Catch::Contains(c.expect));
    }
    std::ofstream(dir + "/t.csv") << "time,speed_m_s,direction_deg,mo_length_m,pblh_m,ustar_m_s,note\n"
                                     "2024-01-10T00:00:00,2.0,270,4.0,500,0.3,calm\n";
    const auto rows = read_surface_table(dir + "/t.csv", start, 0.0);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].ustar_m_s == 0.3);
}

TEST_CASE("Episode weather in spring: a dry front, deeper daytime mixing and a milder climate than winter",
          "[unit][met]") {
    const std::string dir = test::scratch_dir("episode_spring");
    // The front of the 84-h cycle runs from 66 h to 84 h; noon solar time at 110 E is 04:40 UTC.
    const std::string ini = test::write_text_file(
        dir, "run.ini",
        "[run]\nstart = 2026-04-08T00:00:00\nhours = 96\n"
        "[grid]\nprojection = lambert\nnx = 8\nny = 6\ndx_m = 27000\ncenter_lon = 110\ncenter_lat = 42\nnz = 8\n"
        "[met]\nsource = episode\nepisode_cycle_h = 84\nfront_duration_h = 18\nfront_speed_m_s = 12\n");
    auto sample = [&](const std::string& season, double hours) {
        const Config cfg = load_config(ini, {"met.episode_season=" + season});
        const Grid grid(cfg.grid);
        const auto source = make_met_source(cfg, grid, parse_iso_time_utc(cfg.run.start));
        MetState m;
        m.resize(grid);
        source->evaluate(hours * 3600.0, m);
        return m;
    };
    const double noon = 24.0 + 14.0 / 3.0, front = 70.0;  // solar noon of day 2 (04:40 UTC); 4 h into the front
    const MetState wn = sample("winter", noon), sn = sample("spring", noon);
    // Winter as before (day 08-17 solar time: sun = sin(4π/9) at noon); spring day 06-18 (sun = 1).
    CHECK(wn.pblh_m[0] == Approx(150.0 + 600.0 * std::sin(4.0 * M_PI / 9.0) * (1.0 - 0.15 * noon / 24.0)).epsilon(1e-9));
    CHECK(sn.pblh_m[0] == Approx(200.0 + 1400.0 * (1.0 - 0.15 * noon / 24.0)).epsilon(1e-9));
    CHECK(sn.t2_k[0] > wn.t2_k[0] + 10.0);
    const MetState wf = sample("winter", front), sf = sample("spring", front);
    CHECK(wf.precip_mm_h[0] > 0.0);   // snow in the winter front
    CHECK(sf.precip_mm_h[0] == 0.0);  // the spring front is dry: it lifts dust
    CHECK(sf.pblh_m[0] == Approx(2000.0));
    CHECK(sf.ustar_m_s[0] == Approx(wf.ustar_m_s[0]));  // the same wind
    CHECK(sf.ustar_m_s[0] > 0.5);
}

TEST_CASE("Weather revisions: a field the same in both snapshots keeps its revision and value; others change",
          "[unit][met]") {
    const std::string dir = test::scratch_dir("met_revisions");
    const std::string ini = test::write_text_file(
        dir, "run.ini",
        "[run]\nstart = 2026-01-10T00:00:00\nhours = 6\n"
        "[grid]\nprojection = lambert\nnx = 6\nny = 5\ndx_m = 3000\ncenter_lon = 110\ncenter_lat = 41\nnz = 4\n"
        "[met]\nsource = uniform\nspeed_m_s = 5\n");
    // Uniform weather: every snapshot is the same, so every field keeps one revision within an interval.
    {
        const Config cfg = load_config(ini);
        const Grid grid(cfg.grid);
        const auto source = make_met_source(cfg, grid, parse_iso_time_utc(cfg.run.start));
        MetTimeline timeline(*source, grid);
        MetState a, b;
        a.resize(grid);
        b.resize(grid);
        timeline.interpolate(600.0, a);
        const auto first = a.revision;
        for (int f = 0; f < kMetFields; ++f) CHECK(first[f] != 0);
        timeline.interpolate(1800.0, a);
        CHECK(a.revision == first);
        // ... and the values are the snapshot's, bit for bit, whatever the weight.
        timeline.interpolate(3000.0, b);
        CHECK(b.u_face_x_m_s == a.u_face_x_m_s);
        CHECK(b.mo_length_m == a.mo_length_m);
        // The next interval starts where this one ended and every field is the same again: the
        // revisions carry over (nothing copied, caches keyed on them stay valid).
        timeline.interpolate(3600.0 + 600.0, a);
        CHECK(a.revision == first);
        // density() follows the same rule.
        MetState end;
        end.resize(grid);
        timeline.density(3600.0 + 900.0, end);
        const auto rho_rev = end.rev(MetField::rho);
        timeline.density(3600.0 + 1200.0, end);
        CHECK(end.rev(MetField::rho) == rho_rev);
        CHECK(end.rho_kg_m3 == a.rho_kg_m3);
    }
    // A field constant over the first interval but not the second gets a new revision there, and one
    // constant again after a jump (not the next interval) gets a new one too.
    {
        const Config cfg = load_config(ini);
        const Grid grid(cfg.grid);
        const auto uniform = make_met_source(cfg, grid, parse_iso_time_utc(cfg.run.start));
        struct Stepped : MetSource {
            const MetSource& base;
            explicit Stepped(const MetSource& b) : base(b) {}
            void evaluate(double t_s, MetState& out) const override {
                base.evaluate(t_s, out);
                const double t2 = t_s < 7200.0 - 1.0 ? 0.0 : 1.0;  // the 2 m temperature steps at 2 h
                for (double& x : out.t2_k) x += t2;
            }
            double interval_s() const override { return 3600.0; }
        } source(*uniform);
        MetTimeline timeline(source, grid);
        MetState a;
        a.resize(grid);
        timeline.interpolate(600.0, a);
        const auto first = a.revision;
        timeline.interpolate(3600.0 + 600.0, a);  // 1–2 h: t2 differs at the ends
        CHECK(a.rev(MetField::t2) != first[static_cast<int>(MetField::t2)]);
        CHECK(a.rev(MetField::u_face) == first[static_cast<int>(MetField::u_face)]);
        timeline.interpolate(7200.0 + 600.0, a);  // 2–3 h: constant again, but not as it was
        const auto third = a.revision;
        CHECK(third[static_cast<int>(MetField::t2)] != first[static_cast<int>(MetField::t2)]);
        MetState plain;
        plain.resize(grid);
        uniform->evaluate(7200.0, plain);
        CHECK(a.t2_k[0] == plain.t2_k[0] + 1.0);
        timeline.interpolate(5 * 3600.0 + 600.0, a);  // a jump over two intervals: new revisions
        CHECK(a.rev(MetField::u_face) != third[static_cast<int>(MetField::u_face)]);
    }
    // Episode weather changes from hour to hour: the winds get a new revision at every interpolation,
    // and equal (1 − w) a + w b.
    {
        const Config cfg = load_config(ini, {"met.source=episode"});
        const Grid grid(cfg.grid);
        const auto source = make_met_source(cfg, grid, parse_iso_time_utc(cfg.run.start));
        MetTimeline timeline(*source, grid);
        MetState m, s0, s1;
        for (auto* x : {&m, &s0, &s1}) x->resize(grid);
        source->evaluate(3600.0, s0);
        source->evaluate(7200.0, s1);
        REQUIRE(s0.u_face_x_m_s != s1.u_face_x_m_s);
        timeline.interpolate(4500.0, m);
        const auto r = m.rev(MetField::u_face);
        timeline.interpolate(5400.0, m);
        CHECK(m.rev(MetField::u_face) != r);
        const double w = (5400.0 - 3600.0) / 3600.0;
        for (std::size_t c = 0; c < m.u_face_x_m_s.size(); c += 7)
            CHECK(m.u_face_x_m_s[c] == s0.u_face_x_m_s[c] + w * (s1.u_face_x_m_s[c] - s0.u_face_x_m_s[c]));
    }
}

// kernels::same_and_finite: the test behind "constant in the interval" (bit-for-bit equal, all finite).
TEST_CASE("same_and_finite: equal bits and finite values only", "[unit][met]") {
    std::vector<double> a(1001, 1.5), b = a;
    CHECK(lantian::kernels::same_and_finite(a.size(), a.data(), b.data()));
    b[1000] = std::nextafter(1.5, 2.0);  // one value one ulp off, at the end
    CHECK_FALSE(lantian::kernels::same_and_finite(a.size(), a.data(), b.data()));
    b = a;
    a[3] = b[3] = -0.0;
    CHECK(lantian::kernels::same_and_finite(a.size(), a.data(), b.data()));
    b[3] = 0.0;  // equal values, different bits
    CHECK_FALSE(lantian::kernels::same_and_finite(a.size(), a.data(), b.data()));
    for (const double bad : {std::nan(""), std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()}) {
        std::vector<double> c(a.size(), 2.0);
        c[500] = bad;
        const std::vector<double> d = c;  // the same bits, not finite
        CHECK_FALSE(lantian::kernels::same_and_finite(c.size(), c.data(), d.data()));
    }
    CHECK(lantian::kernels::same_and_finite(0, a.data(), b.data()));
}
