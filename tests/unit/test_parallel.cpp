// The pieces of the MPI path that need no MPI: exact sums (any order, any split, the same double)
// and the decomposition (blocks cover the grid once; a split thinner than the halo is refused).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "config/config.hpp"
#include "field_check_kernels.hpp"
#include "parallel/decomposition.hpp"
#include "parallel/exact_sum.hpp"
#include "processes/process.hpp"
#include "simulation/checkpoint.hpp"
#include "simulation/simulation.hpp"
#include "support/test_support.hpp"

using namespace lantian;

namespace {
double exact_of(const std::vector<double>& v) {
    ExactSum s;
    for (double x : v) s.add(x);
    return s.to_double();
}
}  // namespace

TEST_CASE("exact sums are independent of order and split", "[unit][parallel]") {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> mant(-1.0, 1.0);
    std::uniform_int_distribution<int> expo(-60, 60);
    std::vector<double> v(20000);
    for (double& x : v) x = std::ldexp(mant(rng), expo(rng));
    const double forward = exact_of(v);
    // Plain double summation depends on the order (this is what the ledger must not do).
    double plain_fwd = 0, plain_rev = 0;
    for (double x : v) plain_fwd += x;
    for (auto it = v.rbegin(); it != v.rend(); ++it) plain_rev += *it;
    CHECK(plain_fwd != plain_rev);
    for (int trial = 0; trial < 5; ++trial) {
        std::shuffle(v.begin(), v.end(), rng);
        CHECK(exact_of(v) == forward);
        // Split into "ranks" at random points, summed separately, then merged.
        std::vector<ExactSum> parts(4);
        for (std::size_t n = 0; n < v.size(); ++n) parts[(n * 7919) % 4].add(v[n]);
        ExactSum merged;
        for (auto& p : parts) {
            std::vector<std::int64_t> words(ExactSum::kWords);
            p.pack(words.data());
            ExactSum copy;
            copy.unpack(words.data());
            merged.add(copy);
        }
        CHECK(merged.to_double() == forward);
    }
}

TEST_CASE("exact sums are exact", "[unit][parallel]") {
    // 1e16 + 1 − 1e16 loses the 1 in double; the exact sum keeps it.
    ExactSum a;
    a.add(1e16);
    a.add(1.0);
    a.add(-1e16);
    CHECK(a.to_double() == 1.0);
    // Extremes of the range: the smallest subnormal and a huge value cancel exactly.
    ExactSum b;
    b.add(1e300);
    b.add(4.9406564584124654e-324);
    b.add(-1e300);
    CHECK(b.to_double() == 4.9406564584124654e-324);
    // Many small values next to a large one: none is lost (plain double addition drops them all).
    ExactSum c;
    double plain = 1.0;
    c.add(1.0);
    for (int n = 0; n < 1 << 20; ++n) {
        c.add(0x1p-60);
        plain += 0x1p-60;
    }
    CHECK(plain == 1.0);
    CHECK(c.to_double() == 1.0 + 0x1p-40);
    ExactSum d;
    d.add(std::nan(""));
    CHECK(std::isnan(d.to_double()));
}

TEST_CASE("exact sums of an array equal the value-by-value exact sums", "[unit][parallel]") {
    // The array form adds eight values at a time as 128-bit integers per lane where their mantissas
    // land at the same limb: runs long and short, lengths that are not multiples of 8, values
    // straddling limb boundaries, both signs, zeros of both signs, subnormals, the largest doubles
    // (whose runs reach the top limbs) and a non-finite value.
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> mant(-1.0, 1.0);
    auto check = [](const std::vector<double>& v) {
        ExactSum one, all;
        for (double x : v) one.add(x);
        all.add(v.data(), v.size());
        const double a = one.to_double(), b = all.to_double();
        if (std::isnan(a)) {
            CHECK(std::isnan(b));
        } else {
            CHECK(a == b);
        }
    };
    for (int spread : {0, 3, 31, 33, 200, 2000})
        for (int len : {5, 8, 13, 5000}) {
            std::uniform_int_distribution<int> expo(-spread / 2, spread / 2);
            std::vector<double> v(len);
            for (double& x : v) x = std::ldexp(mant(rng), expo(rng));
            INFO("exponent spread " << spread << ", " << len << " values");
            check(v);
            for (double& x : v) x = std::fabs(x);
            check(v);
        }
    // Long runs of one limb (carries into the second 64-bit half), zeros inside, values on both
    // sides of a limb boundary.
    std::vector<double> v;
    for (int n = 0; n < 100000; ++n) v.push_back(n % 7 == 3 ? (n % 2 ? -0.0 : 0.0) : std::ldexp(1.0 - 0x1p-52, 31));
    check(v);
    std::vector<double> straddle;
    // (2^160..2^164: the values' lowest limb index p >> 5 of p = exponent + 1022 goes from 36 to 37)
    for (int n = 0; n < 4000; ++n) straddle.push_back(std::ldexp(1.0 + (n % 17) / 17.0, 160 + n % 5));
    check(straddle);
    for (int n = 0; n < 1000; ++n) v.push_back(n % 2 ? 1e-310 : -3e-320);
    check(v);
    v.push_back(std::numeric_limits<double>::max());
    v.push_back(std::numeric_limits<double>::max());
    v.push_back(-std::numeric_limits<double>::max());
    check(v);
    v.push_back(std::numeric_limits<double>::infinity());
    check(v);
    // Exact where double addition is not: 1e16 + 1 − 1e16, eight at a time.
    const double cancel[] = {1e16, 1.0, -1e16, 3.0, -2.0, 0.5, 0.25, -0.75, 1e16, 1.0, -1e16};
    ExactSum a;
    a.add(cancel, 11);
    CHECK(a.to_double() == 3.0);
}

TEST_CASE("add_columns of several fields at once gives each field's exact sum over the window", "[unit][parallel]") {
    // Three fields of 23 x 17 columns with values over many orders of magnitude and both signs; the
    // window leaves out a border. Each total must equal the field's own exact sum over the window,
    // in order, with and without a partial sum already in place.
    const int nx = 23, ny = 17;
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> mant(-1.0, 1.0);
    std::uniform_int_distribution<int> expo(-40, 40);
    std::vector<std::vector<double>> f(3, std::vector<double>(static_cast<std::size_t>(nx) * ny));
    for (auto& field : f)
        for (double& x : field) x = std::ldexp(mant(rng), expo(rng));
    const kernels::Window w{2, 21, 1, 15};
    const double* fields[] = {f[0].data(), f[1].data(), f[2].data()};
    std::vector<ExactSum> together(3), alone(3);
    together[1].add(0.25);
    alone[1].add(0.25);
    add_columns(together.data(), fields, 3, nx, ny, w);
    for (int n = 0; n < 3; ++n) {
        add_columns(alone[n], fields[n], nx, ny, w);
        ExactSum by_hand;
        if (n == 1) by_hand.add(0.25);
        for (int j = w.j0; j < w.j1; ++j)
            for (int i = w.i0; i < w.i1; ++i) by_hand.add(f[n][static_cast<std::size_t>(j) * nx + i]);
        const double expected = by_hand.to_double();
        CHECK(together[n].to_double() == expected);
        CHECK(alone[n].to_double() == expected);
    }
}

TEST_CASE("decomposition covers the grid once and refuses thin blocks", "[unit][parallel]") {
    for (int ranks : {1, 2, 3, 4, 6, 8, 12}) {
        const Decomposition d(100, 64, ranks, 0, 0);
        REQUIRE(d.ranks() == ranks);
        std::vector<int> owner(100 * 64, 0);
        for (int r = 0; r < ranks; ++r) {
            const Box b = d.box(r);
            CHECK(b.i1 - b.i0 >= Decomposition::kMinWidth);
            CHECK(b.j1 - b.j0 >= Decomposition::kMinWidth);
            for (int j = b.j0; j < b.j1; ++j)
                for (int i = b.i0; i < b.i1; ++i) ++owner[j * 100 + i];
        }
        CHECK(std::all_of(owner.begin(), owner.end(), [](int n) { return n == 1; }));
    }
    // The shortest cut: 4 ranks on a square grid split 2 x 2; on a long grid along its length.
    CHECK(Decomposition(64, 64, 4, 0, 0).px() == 2);
    CHECK(Decomposition(400, 20, 4, 0, 0).px() == 4);
    // Given blocks must multiply to the rank count and be at least 3 cells wide.
    CHECK(Decomposition(100, 64, 6, 3, 0).py() == 2);
    CHECK_THROWS_AS(Decomposition(100, 64, 4, 3, 0), ConfigError);
    CHECK_THROWS_AS(Decomposition(10, 64, 4, 4, 1), ConfigError);
    CHECK_THROWS_AS(Decomposition(8, 8, 9, 0, 0), ConfigError);
    // A periodic axis is never cut.
    CHECK(Decomposition(100, 100, 2, 0, 0, true, false).px() == 1);
    CHECK_THROWS_AS(Decomposition(100, 100, 2, 2, 1, true, false), ConfigError);
}

TEST_CASE("checkpoints round-trip and refuse another version", "[unit][parallel]") {
    const std::string dir = lantian::test::scratch_dir("checkpoint");
    Checkpoint c;
    c.version = LANTIAN_TEST_VERSION;
    c.config_text = "[run]\nstart = x\n";
    c.config_hash = config_hash(c.config_text);
    c.nx = 3;
    c.ny = 2;
    c.nz = 2;
    c.nspec = 2;
    c.t_s = 5400.25;
    c.plume_t_s = 3600.5;
    c.last_mid_t_s = 5000.125;
    c.step_index = 17;
    c.steps = 17;
    c.min_dt_s = 100;
    c.max_dt_s = 450.5;
    c.records = 1;
    for (int n = 0; n < 12; ++n) c.air_mass_kg.push_back(1e9 + n);
    for (int n = 0; n < 24; ++n) c.q.push_back(0.1 * n);
    for (int n = 0; n < 50; ++n) c.ledger.push_back(-3.5 + n);
    const std::string path = dir + "/ok.h5";
    write_checkpoint(path, c);
    const Checkpoint r = read_checkpoint(path);
    CHECK(r.t_s == c.t_s);
    CHECK(r.plume_t_s == c.plume_t_s);
    CHECK(r.last_mid_t_s == c.last_mid_t_s);
    CHECK(r.step_index == 17);
    CHECK(r.records == 1);
    CHECK(r.air_mass_kg == c.air_mass_kg);
    CHECK(r.q == c.q);
    CHECK(r.ledger == c.ledger);
    CHECK(r.config_hash == c.config_hash);
    CHECK(config_hash("a") != config_hash("b"));

    c.version = "0.0.1";
    write_checkpoint(dir + "/old.h5", c);
    try {
        read_checkpoint(dir + "/old.h5");
        FAIL("a checkpoint of another version was accepted");
    } catch (const ConfigError& e) {
        CHECK(std::string(e.what()).find("written by Lantian 0.0.1") != std::string::npos);
    }
    CHECK_THROWS_AS(read_checkpoint(dir + "/missing.h5"), ConfigError);
}

TEST_CASE("the field scan finds NaN, infinity and negative values, inside the window only", "[unit][parallel]") {
    // 3 fields of 2 layers × 5 rows × 7 columns; window i 2..5, j 1..3.
    const int nx = 7, ny = 5, nz = 2, nf = 3;
    std::vector<real> q(static_cast<std::size_t>(nf) * nz * ny * nx, 1.5f);
    kernels::Window w;
    w.i0 = 2;
    w.i1 = 6;
    w.j0 = 1;
    w.j1 = 4;
    CHECK(kernels::fields_physical(q.data(), nf, nx, ny, nz, w));
    CHECK(kernels::fields_physical(q.data(), nf, nx, ny, nz, kernels::Window{}));
    const std::size_t inside = ((2 * nz + 1) * ny + 3) * nx + 4;   // field 2, k = 1, j = 3, i = 4
    const std::size_t outside = ((1 * nz + 0) * ny + 4) * nx + 4;  // field 1, k = 0, j = 4 (not in the window)
    for (real bad : {-1e-30f, -std::numeric_limits<real>::infinity(), std::numeric_limits<real>::infinity(),
                     std::numeric_limits<real>::quiet_NaN()}) {
        INFO(bad);
        q[inside] = bad;
        CHECK_FALSE(kernels::fields_physical(q.data(), nf, nx, ny, nz, w));
        q[inside] = 1.5f;
        q[outside] = bad;
        CHECK(kernels::fields_physical(q.data(), nf, nx, ny, nz, w));
        CHECK_FALSE(kernels::fields_physical(q.data(), nf, nx, ny, nz, kernels::Window{}));
        q[outside] = 1.5f;
    }
    q[inside] = -0.0f;  // a signed zero is a zero
    CHECK(kernels::fields_physical(q.data(), nf, nx, ny, nz, w));
}

TEST_CASE("a non-physical value stops the run and names its cell", "[unit][parallel]") {
    Config cfg;
    cfg.grid = lantian::test::cartesian(12, 8, 1000.0, {0, 50, 150, 400});
    cfg.run.hours = 1;
    cfg.output.interval_h = 1;
    cfg.met.source = MetKind::uniform;
    cfg.met.speed_m_s = 0.0;
    cfg.transport.horizontal_diffusion = HorizontalDiffusion::off;
    cfg.transport.vertical_diffusion = false;
    cfg.species.names = {"TRACER"};
    cfg.species.initial_ug_m3 = {{"TRACER", 1.0}};
    cfg.receptors = {};
    Simulation sim(cfg);
    // A negative value stays where it is in calm air (a NaN would spread through 0 · NaN fluxes).
    sim.state().species(0)[2 * 12 * 8 + 5 * 12 + 7] = -1.0f;  // k = 2, j = 5, i = 7
    try {
        sim.run(false);
        FAIL("a negative mixing ratio was not reported");
    } catch (const RunError& e) {
        INFO(e.what());
        CHECK(std::string(e.what()).find("i=7 j=5 k=2") != std::string::npos);
    }
}
