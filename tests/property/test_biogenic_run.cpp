// A photochemical run books its biogenic isoprene and monoterpenes as sector `biogenic` (the
// emitted mass by sector sums to the emitted term); a linear run keeps its budget layout without it.
#include <catch2/catch.hpp>
#include <algorithm>

#include "config/config_parser.hpp"
#include "emissions/builtin_tables.hpp"
#include "simulation/simulation.hpp"
#include "support/test_support.hpp"

using namespace lantian;

TEST_CASE("A cb6r3 run books its biogenic emissions as sector biogenic; a linear run has no such sector",
          "[property][emissions][biogenic][ledger]") {
    const std::string dir = test::scratch_dir("biogenic_run");
    // The built-in species table has ISOP and TERP (insoluble, no surface uptake).
    const std::string ini = test::write_text_file(
        dir, "run.ini",
        "[run]\nstart = 2026-07-01T00:00:00\nhours = 6\nmax_dt_s = 600\n"
        "[grid]\nprojection = lambert\nnx = 12\nny = 10\ndx_m = 4000\ncenter_lon = 110.0\ncenter_lat = 40.6\n"
        "nz = 6\nfirst_layer_m = 30\ntop_m = 2000\n"
        "[met]\nsource = uniform\nspeed_m_s = 2\n"
        "[species]\nnames = NO2 ISOP TERP\n"
        "[removal]\nland_class = forest\n"
        "[output]\ninterval_h = 3\n");
    {
        Simulation sim(load_config(ini, {"chemistry.mechanism=cb6r3"}));
        sim.run(false);
        const Ledger& l = sim.ledger();
        const auto names = l.term_names();
        CHECK(std::find(names.begin(), names.end(), "emitted_biogenic") != names.end());
        const int bio = static_cast<int>(Sector::biogenic);
        for (int s = 0; s < l.size(); ++s) {
            INFO(l.species()[s]);
            const SpeciesLedger& r = l[s];
            double by_sector = 0;
            for (double e : r.emitted_by_sector_kg) by_sector += e;
            CHECK(by_sector == Approx(r.kg("emitted")).epsilon(1e-9).margin(1e-15));
            // The run carries every species of the mechanism; only ISOP and TERP are biogenic
            // (08:00–14:00 Beijing time: isoprene too).
            if (l.species()[s] == "ISOP" || l.species()[s] == "TERP") CHECK(r.emitted_by_sector_kg[bio] > 0.0);
            else CHECK(r.emitted_by_sector_kg[bio] == 0.0);
        }
        CHECK_THAT(l.table(), Catch::Contains("biogenic"));
    }
    {
        Simulation sim(load_config(ini));  // linear: same layout as before the biogenic sector existed
        sim.run(false);
        const auto names = sim.ledger().term_names();
        CHECK(std::find(names.begin(), names.end(), "emitted_biogenic") == names.end());
        CHECK(std::find(names.begin(), names.end(), "emitted_fixed") != names.end());
        for (int s = 0; s < sim.ledger().size(); ++s)
            CHECK(sim.ledger()[s].emitted_by_sector_kg[static_cast<int>(Sector::biogenic)] == 0.0);
    }
}
