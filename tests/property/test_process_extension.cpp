// Adding a process is one file: a first-order decay process defined here, and nowhere else in
// the program, joins a real run — its declared ledger term closes the books and appears in the
// printed budget, the NetCDF budget variables and the checkpoint, and a restart by a run without
// it is refused naming the term.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <sstream>

#include "config/config_parser.hpp"
#include "output/netcdf_reader.hpp"
#include "simulation/checkpoint.hpp"
#include "simulation/simulation.hpp"
#include "support/test_support.hpp"

using namespace lantian;

namespace {
// dq/dt = −k q for tracer 0 (exact over the step: q' = q e^{−kΔt}), booked as "decayed" (a removal).
class Decay final : public Process {
public:
    explicit Decay(double k_per_s) : k_per_s_(k_per_s) {}
    ProcessInfo info() const override {
        return {"test decay", "", {}, {{"decayed", TermKind::removal, "decayed", "first-order decay (test)"}}, {}};
    }

protected:
    void step_impl(StepContext& ctx) override {
        const double keep = std::exp(-k_per_s_ * ctx.dt_s);
        real* q = ctx.state.species(0);
        ExactSum removed_ug;  // m (q − q'), with q' as stored
        for (std::size_t c = 0; c < ctx.state.field_size(); ++c) {
            const real before = q[c];
            q[c] = static_cast<real>(before * keep);
            removed_ug.add(ctx.state.air_mass_kg[c] * (static_cast<double>(before) - q[c]));
        }
        ctx.ledger[0].term_kg[term(0)] += removed_ug.to_double() * 1e-9;
    }

private:
    double k_per_s_;
};

constexpr double kDecayPerS = 1.0 / (6 * 3600.0);  // e-folding in 6 h: a large, visible term

Config small_run(const std::string& dir) {
    Config cfg;
    cfg.run.hours = 4;
    cfg.grid = test::cartesian(20, 16, 2000.0, {});
    cfg.grid.layer_faces_m.clear();
    cfg.grid.nz = 6;
    cfg.met.source = MetKind::uniform;
    cfg.met.speed_m_s = 1.0;  // 40 km domain: ~11 h residence, so the decay shows in the final mass
    cfg.species.names = {"SO2", "PM25"};
    cfg.species.background_ug_m3 = {{"SO2", 5.0}, {"PM25", 12.0}};
    cfg.output.file = dir + "/run.nc";
    cfg.checkpoint.interval_h = 2;
    return cfg;
}
}  // namespace

TEST_CASE("A process defined in one file joins a run: its ledger term closes the books and is written everywhere",
          "[property][ledger][extension]") {
    const std::string dir = test::scratch_dir("extension");
    const Config cfg = small_run(dir);
    Simulation sim(cfg);
    sim.add_process(std::make_unique<Decay>(kDecayPerS), "vertical mixing, emission and dry deposition");
    REQUIRE(sim.processes().size() >= 4);
    sim.run(true);

    const Ledger& ledger = sim.ledger();
    REQUIRE(ledger.find("decayed") >= 0);
    const SpeciesLedger& so2 = ledger[0];
    // About 1 − e^{−4/6} ≈ half of the initial SO2 decays; PM25 is untouched.
    CHECK(so2.kg("decayed") > 0.3 * so2.initial_kg);
    CHECK(ledger[1].kg("decayed") == 0.0);
    for (int s = 0; s < 2; ++s) {
        const SpeciesLedger& l = ledger[s];
        const double scale = l.initial_kg + l.sources_kg() + l.inflow_total_kg();
        INFO(ledger.table());
        // 1e-6: float storage over ~40 steps; dropping the decay term would leave ~0.3 of the scale.
        CHECK(std::fabs(l.residual_kg()) / scale < 1e-6);
    }
    // The printed budget has its column; the NetCDF budget its term, with the ledger's value.
    CHECK(ledger.table().find("decayed") != std::string::npos);
    NcReader nc(cfg.output.file, "opening the run's output");
    const int var = nc.var("budget_SO2");
    std::istringstream terms(nc.text_att(var, "budget_terms"));
    const auto values = nc.doubles(var, nc.size(var));
    std::size_t n = 0;
    bool found = false;
    for (std::string t; terms >> t; ++n)
        if (t == "decayed") {
            found = true;
            CHECK(values.at(n) == so2.kg("decayed"));
        }
    CHECK(found);
    // The checkpoint stores it by name.
    const Checkpoint c = read_checkpoint(sim.checkpoint_file());
    CHECK(std::find(c.ledger_words.begin(), c.ledger_words.end(), "decayed") != c.ledger_words.end());

    // Without the process the term is absent and more SO2 is left.
    Simulation plain(small_run(test::scratch_dir("extension_plain")));
    plain.run(false);
    CHECK(plain.ledger().find("decayed") < 0);
    CHECK(plain.ledger()[0].final_kg > 1.5 * so2.final_kg);

    // A run of the same configuration without the process cannot continue the books of one with it.
    Simulation again(cfg);
    try {
        again.restart_from(sim.checkpoint_file());
        FAIL("restart across different ledger terms was accepted");
    } catch (const ConfigError& e) {
        CHECK(std::string(e.what()).find("decayed") != std::string::npos);
    }
}
