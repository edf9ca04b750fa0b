// The box tool of the aerosol equilibrium (src/chemistry/aerosol_box, `lantian aerosol-equilibrium`):
// the cases file, its errors, the unit conversions and the CSV it writes. The thermodynamics
// themselves: test_aerosol_equilibrium.cpp and tests/aerosol/gibbs_reference.py.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <sstream>

#include "chemistry/aerosol_box.hpp"
#include "config/config.hpp"

using namespace lantian;

namespace {
const std::string kHeader = "T_K,rh,pressure_hpa,so4_ug_m3,nh3_total_ug_m3,hno3_total_ug_m3\n";

// The CSV the tool writes for `text`, as rows of column → cell.
std::vector<std::map<std::string, std::string>> box(const std::string& text, kernels::AerosolBranch b) {
    std::ostringstream out;
    write_aerosol_box(out, aerosol_box_cases(parse_csv_text(text, "cases.csv")), b);
    std::istringstream in(out.str());
    std::string line;
    std::vector<std::string> header;
    std::vector<std::map<std::string, std::string>> rows;
    while (std::getline(in, line)) {
        std::vector<std::string> cells;
        std::stringstream ss(line);
        std::string c;
        while (std::getline(ss, c, ',')) cells.push_back(c);
        if (header.empty()) {
            header = cells;
            continue;
        }
        REQUIRE(cells.size() == header.size());
        std::map<std::string, std::string> row;
        for (std::size_t k = 0; k < cells.size(); ++k) row[header[k]] = cells[k];
        rows.push_back(row);
    }
    return rows;
}

std::string error_of(const std::string& text) {
    try {
        aerosol_box_cases(parse_csv_text(text, "cases.csv"));
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST_CASE("The box tool reads cases in any column order, echoes them and writes every result column",
          "[aerosol][unit]") {
    const std::string text = "# two cases\nnote,hno3_total_ug_m3,nh3_total_ug_m3,so4_ug_m3,pressure_hpa,rh,T_K\n"
                             "a,2,1.5,10,1013.25,0.30,298.15\n\n# a comment between\nb,20,20,10,1000,0.85,268\n";
    const auto cases = aerosol_box_cases(parse_csv_text(text, "cases.csv"));
    REQUIRE(cases.size() == 2);
    CHECK(cases[0].line == 3);
    CHECK(cases[1].line == 6);
    CHECK(cases[1].T_K == 268.0);
    CHECK(cases[1].rh == 0.85);
    // n = p / (R T) and µg m-3 → mol m-3 with the stated molar masses.
    const kernels::EquilibriumInput in = aerosol_box_input(cases[1]);
    CHECK(in.air_mol_m3 == Approx(100000.0 / (8.314462618 * 268.0)).epsilon(1e-12));
    CHECK(in.so4_mol_m3 == Approx(10e-6 / 96.06).epsilon(1e-12));
    CHECK(in.nh3_total_mol_m3 == Approx(20e-6 / 17.03).epsilon(1e-12));
    CHECK(in.hno3_total_mol_m3 == Approx(20e-6 / 63.01).epsilon(1e-12));

    const auto rows = box(text, kernels::AerosolBranch::stable);
    REQUIRE(rows.size() == 2);
    std::vector<std::string> expected = kAerosolBoxInputColumns;
    expected.insert(expected.end(), kAerosolBoxResultColumns.begin(), kAerosolBoxResultColumns.end());
    for (const auto& column : expected) CHECK(rows[0].count(column) == 1);
    CHECK(rows[0].size() == expected.size());
    CHECK(rows[0].at("T_K") == "298.15");  // the cells as written
    // Case a: NH4/SO4 = 0.85 < 1 (free H2SO4): no dry state, acidic solution at 30% RH; every
    // ammonia in the particle, nitrate gaseous.
    CHECK(rows[0].at("regime") == "sulfate_rich");
    CHECK(std::stod(rows[0].at("water_ug_m3")) > 0);
    CHECK(std::stod(rows[0].at("ph")) < 1.0);
    CHECK(std::stod(rows[0].at("nh4_ug_m3")) == Approx(1.5 / 17.03 * 18.04).epsilon(1e-4));  // NH3(g) ~2e-5 of it
    CHECK(std::stod(rows[0].at("hno3_gas_ug_m3")) == Approx(2.0).epsilon(1e-4));
    // Case b: cold, humid, ammonia-rich; conservation in µg m-3 of each equivalent.
    const auto& b = rows[1];
    CHECK(b.at("regime") == "sulfate_poor");
    CHECK(b.at("converged") == "1");
    CHECK(std::stod(b.at("nh3_gas_ug_m3")) + std::stod(b.at("nh4_ug_m3")) * 17.03 / 18.04 == Approx(20.0).epsilon(1e-8));
    CHECK(std::stod(b.at("hno3_gas_ug_m3")) + std::stod(b.at("no3_ug_m3")) * 63.01 / 62.00 == Approx(20.0).epsilon(1e-8));
    CHECK(std::stod(b.at("no3_ug_m3")) > 15.0);
}

TEST_CASE("The box tool: a dry particle has no pH, the metastable branch stays liquid, pressure does not matter",
          "[aerosol][unit]") {
    const std::string dry = kHeader + "298.15,0.50,1013.25,10,3.0,3\n";  // NH4/SO4 1.7: AS + letovicite, dry at 50%
    const auto stable = box(dry, kernels::AerosolBranch::stable);
    CHECK(stable[0].at("water_ug_m3") == "0");
    CHECK(stable[0].at("ph") == "nan");
    CHECK(stable[0].at("dry_weight") == "1");
    const auto meta = box(dry, kernels::AerosolBranch::metastable);
    CHECK(std::stod(meta[0].at("water_ug_m3")) > 0);
    CHECK(meta[0].at("dry_weight") == "0");
    // The equilibrium depends on partial pressures p = n R T: the same µg m-3 at another pressure
    // gives the same split.
    const auto low = box(kHeader + "268,0.85,500,10,20,20\n", kernels::AerosolBranch::stable);
    const auto high = box(kHeader + "268,0.85,1013.25,10,20,20\n", kernels::AerosolBranch::stable);
    CHECK(low[0].at("no3_ug_m3") == high[0].at("no3_ug_m3"));
    CHECK(low[0].at("water_ug_m3") == high[0].at("water_ug_m3"));
}

TEST_CASE("The box tool refuses bad cases naming the file, line, column and problem", "[aerosol][unit]") {
    CHECK(error_of(kHeader + "298.15,80,1013.25,10,5,5\n") ==
          "cases.csv:2: rh: 80: must be a relative humidity between 0 and 1 (a fraction, not %)");
    CHECK(error_of(kHeader + "# c\n25,0.5,1013.25,10,5,5\n") == "cases.csv:3: T_K: 25: must be a temperature in K between 180 and 340");
    CHECK(error_of(kHeader + "298,0.5,1013.25,-1,5,5\n") == "cases.csv:2: so4_ug_m3: -1: must be an amount in µg m-3 between 0 and 1e5");
    CHECK(error_of(kHeader + "298,0.5,1013.25,1,x,5\n") == "cases.csv:2: nh3_total_ug_m3: x: not a number");
    CHECK(error_of(kHeader + "298,0.5,1013.25,1,1,\n") == "cases.csv:2: hno3_total_ug_m3: (empty): a number is required");
    CHECK(error_of(kHeader + "298,0.5,101325,1,1,1\n") == "cases.csv:2: pressure_hpa: 101325: must be a pressure in hPa between 10 and 1100");
    CHECK(error_of("T_K,rh,so4_ug_m3,nh3_total_ug_m3,hno3_total_ug_m3\n298,0.5,1,1,1\n") ==
          "cases.csv:1: header: missing column 'pressure_hpa'");
    CHECK(error_of(kHeader).rfind("cases.csv: no cases", 0) == 0);
    CHECK(error_of(kHeader + "298,0.5,1013,1,1\n").rfind("cases.csv:2: expected 6 columns", 0) == 0);
    CHECK_THROWS_AS(parse_aerosol_branch("liquid"), ConfigError);
    CHECK(parse_aerosol_branch("metastable") == kernels::AerosolBranch::metastable);
}
