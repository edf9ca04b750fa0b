// Emission-reduction lists: the demonstration list's cuts against a hand computation from the
// inventory files, precedence of levels and targets, alert-triggered hours, and bad lists.
#include <catch2/catch.hpp>

#include "config/config_parser.hpp"
#include "config/scenario_spec.hpp"
#include "emissions/inventory.hpp"
#include "scenarios/reduction_list.hpp"
#include "support/test_support.hpp"

using namespace lantian;

namespace {
const std::string kList = std::string(LANTIAN_SOURCE_DIR) + "/configs/reduction_lists/baotou_emergency.csv";
const std::string kExample = std::string(LANTIAN_SOURCE_DIR) + "/configs/episode_baotou.ini";
constexpr int kSO2 = static_cast<int>(Pollutant::SO2), kNOx = static_cast<int>(Pollutant::NOx);
}  // namespace

TEST_CASE("The demonstration list's red-level SO2 and NOx cuts equal a hand computation", "[unit][scenarios]") {
    const Inventory inv = load_inventory(load_config(kExample));
    const ReductionList list = read_reduction_list(kList);
    const CutSummary s = summarise_cuts(list, inv);
    CHECK(s.warnings.empty());
    // Red: C-grade stacks 100 %, B-grade 50 %, steel (all A) 30 %, A-grade power 10 % of SO2, NOx, PM;
    // residential 15 % of SO2 and PM; traffic 30 % of NOx and PM; nothing else.
    double so2 = 0, nox = 0, so2_total = 0;
    for (const PointStack& p : inv.points) {
        double cut = 0, cut_nox = 0;
        if (p.grade == 'C') cut = cut_nox = 1.0;
        else if (p.grade == 'B') cut = cut_nox = 0.5;
        else if (p.sector == Sector::steel) cut = cut_nox = 0.3;
        else if (p.sector == Sector::power) cut = cut_nox = 0.1;
        so2 += cut * p.annual_t[kSO2] / 365;
        nox += cut_nox * p.annual_t[kNOx] / 365;
        so2_total += p.annual_t[kSO2] / 365;
    }
    for (const RoadLink& r : inv.roads) {
        nox += 0.3 * r.annual_t[kNOx] / 365;
        so2_total += r.annual_t[kSO2] / 365;
    }
    for (const AreaCell& a : inv.areas) {
        if (a.sector == Sector::residential) so2 += 0.15 * a.annual_t[kSO2] / 365;
        if (a.sector == Sector::traffic) nox += 0.3 * a.annual_t[kNOx] / 365;
        so2_total += a.annual_t[kSO2] / 365;
    }
    const int red = static_cast<int>(MeasureLevel::red);
    CHECK(s.cut_t_day[red][0] == Approx(so2).epsilon(1e-12));
    CHECK(s.cut_t_day[red][1] == Approx(nox).epsilon(1e-12));
    CHECK(s.total_t_day[0] == Approx(so2_total).epsilon(1e-12));
    CHECK(s.total_t_day[0] == Approx(53521.9 / 365).epsilon(1e-5));  // the inventory README's total
    // Stricter at every level.
    for (int g = 0; g < CutSummary::kGroups; ++g) {
        CHECK(s.cut_t_day[1][g] <= s.cut_t_day[2][g]);
        CHECK(s.cut_t_day[2][g] <= s.cut_t_day[3][g]);
    }
    CHECK(s.cut_t_day[0][0] == 0.0);
}

TEST_CASE("The highest level in force wins, then the most specific target", "[unit][scenarios]") {
    const ReductionList list = read_reduction_list(kList);
    const SourceKey sinter{"STL_BAOGANG_SINTER_HEAD", Sector::steel, 'A', ""};
    CHECK(reduction_cut(list, sinter, kSO2, MeasureLevel::always) == 0.0);
    CHECK(reduction_cut(list, sinter, kSO2, MeasureLevel::yellow) == 0.0);   // A grade: exempt at yellow
    CHECK(reduction_cut(list, sinter, kSO2, MeasureLevel::orange) == 0.2);   // the plant's own row
    CHECK(reduction_cut(list, sinter, kSO2, MeasureLevel::red) == 0.3);      // red's sector row is a higher level
    CHECK(reduction_cut(list, sinter, static_cast<int>(Pollutant::CO), MeasureLevel::red) == 0.0);
    const SourceKey coking{"IND_COKING_CHIMNEY", Sector::industry, 'C', ""};
    CHECK(reduction_cut(list, coking, static_cast<int>(Pollutant::VOC), MeasureLevel::yellow) == 0.3);
    CHECK(reduction_cut(list, coking, static_cast<int>(Pollutant::VOC), MeasureLevel::red) == 1.0);
    const SourceKey power_a{"PWR_SALAQI", Sector::power, 'A', ""};
    CHECK(reduction_cut(list, power_a, kNOx, MeasureLevel::orange) == 0.0);
    CHECK(reduction_cut(list, power_a, kNOx, MeasureLevel::red) == 0.1);
    CHECK(reduction_cut(list, power_a, static_cast<int>(Pollutant::PMC), MeasureLevel::red) == 0.1);  // PM = PM2.5 + coarse
}

TEST_CASE("Alert-triggered measures switch on after the lead time and off when the alert ends", "[unit][scenarios]") {
    using A = AlertLevel;
    const auto h = hourly_measures({A::none, A::yellow, A::yellow, A::orange, A::none}, 6.0);
    REQUIRE(h.size() == 120);
    CHECK(h[29] == MeasureLevel::always);   // day 1, 05:00: not yet (6 h lead)
    CHECK(h[30] == MeasureLevel::yellow);   // day 1, 06:00
    CHECK(h[77] == MeasureLevel::yellow);   // day 3, 05:00: orange waits for its own lead time
    CHECK(h[78] == MeasureLevel::orange);
    CHECK(h[95] == MeasureLevel::orange);
    CHECK(h[96] == MeasureLevel::always);   // the alert has ended
    const auto now = hourly_measures({A::red}, 0.0);
    CHECK(now.front() == MeasureLevel::red);
}

TEST_CASE("Bad reduction lists are refused with file, line and reason; targets that match nothing warn", "[unit][scenarios]") {
    const std::string dir = test::scratch_dir("lists");
    const std::string head = "target,pollutants,cut,level,start,end\n";
    const std::pair<std::string, std::string> bad[] = {
        {head + "grade:C,all,1.5,red,,\n", "l.csv:2: cut: 1.5: must be in [0, 1]"},
        {head + "grade:C,all,0.5,purple,,\n", "l.csv:2: level: purple: unknown alert level"},
        {head + "sector:cement,all,0.5,red,,\n", "l.csv:2: target: sector:cement: unknown sector 'cement'"},
        {head + "grade:D,all,0.5,red,,\n", "grade must be A, B or C"},
        {head + "region:,all,0.5,red,,\n", "expected all, plant:ID"},
        {head + "plant:X+region:Baotou,all,0.5,red,,\n", "a plant target stands alone"},
        {head + "grade:C,SO2 O3,0.5,red,,\n", "unknown pollutant 'O3'"},
        {head + "grade:C,SO2,0.5,red,,\ngrade:C,SO2 NOx,0.8,red,,\n", "l.csv:3: target: grade:C: overlaps line 2 (same target, level red and pollutant SO2)"},
        {head + "all,SO2,0.5,red,2026-01-12T00:00:00,2026-01-11T00:00:00\n", "l.csv:2: end: 2026-01-11T00:00:00: must be after start"},
        {head + "all,SO2,0.5,red,tomorrow,\n", "l.csv:2: start: tomorrow:"},
    };
    for (const auto& [text, expected] : bad) {
        INFO(text);
        try {
            read_reduction_list(test::write_text_file(dir, "l.csv", text));
            FAIL("accepted");
        } catch (const ConfigError& e) {
            CHECK_THAT(e.what(), Catch::Contains(expected));
        }
    }
    const ReductionList odd = read_reduction_list(test::write_text_file(dir, "l.csv", head + "plant:NO_SUCH_STACK,all,0.5,red,,\n"));
    const CutSummary s = summarise_cuts(odd, load_inventory(load_config(kExample)));
    REQUIRE(s.warnings.size() == 1);
    CHECK_THAT(s.warnings[0], Catch::Contains("l.csv:2: target plant:NO_SUCH_STACK matches no source"));
}

TEST_CASE("A row is in force inside its window, a row without one always", "[unit][scenarios]") {
    ReductionRow r;
    CHECK(row_active(r, 0.0));
    r.start_epoch_s = 100.0;
    CHECK_FALSE(row_active(r, 99.5));
    CHECK(row_active(r, 100.0));
    r.end_epoch_s = 200.0;
    CHECK(row_active(r, 199.5));
    CHECK_FALSE(row_active(r, 200.0));
    r.start_epoch_s = -1;
    CHECK(row_active(r, -5e9));
}

TEST_CASE("A scenario item parses into name, list and level, and bad items name scenarios.runs", "[unit][scenarios]") {
    const ScenarioSpec s = parse_scenario_spec("red_1:lists/c:\\x.csv:orange");
    CHECK(s.name == "red_1");
    CHECK(s.list == "lists/c:\\x.csv");
    CHECK(s.level == MeasureLevel::orange);
    CHECK_FALSE(s.triggered);
    CHECK(parse_scenario_spec("t:l.csv:triggered").triggered);
    CHECK(parse_scenario_spec("a:l.csv:always").level == MeasureLevel::always);
    CHECK_THROWS_WITH(parse_scenario_spec("a:l.csv"), "scenarios.runs: 'a:l.csv': expected NAME:LIST.csv:LEVEL");
    CHECK_THROWS_WITH(parse_scenario_spec("base:l.csv:red"), Catch::Contains("not be base"));
    CHECK_THROWS_WITH(parse_scenario_spec("a-b:l.csv:red"), Catch::Contains("letters, digits and _"));
    CHECK_THROWS_WITH(parse_scenario_spec("a:l.csv:purple"),
                      "scenarios.runs: 'a:l.csv:purple': level purple must be always, yellow, orange, red or triggered");
}
