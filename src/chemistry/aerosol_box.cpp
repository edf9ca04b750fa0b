// The box tool of the aerosol equilibrium: cases in, CSV out (see the header).
#include "chemistry/aerosol_box.hpp"

#include <cmath>
#include <cstdio>

#include "config/config.hpp"
#include "physical_constants.hpp"

namespace lantian {

namespace {

// Valid ranges of the input columns (what the kernel's constants were fitted over, with margin:
// Mozurkewich's Kp and the Fountoukis–Nenes K(T) are stated for tropospheric temperatures).
struct Column {
    const char* name;
    double lo, hi;
    const char* range_text;
};
constexpr Column kColumns[] = {
    {"T_K", 180.0, 340.0, "a temperature in K between 180 and 340"},
    {"rh", 0.0, 1.0, "a relative humidity between 0 and 1 (a fraction, not %)"},
    {"pressure_hpa", 10.0, 1100.0, "a pressure in hPa between 10 and 1100"},
    {"so4_ug_m3", 0.0, 1e5, "an amount in µg m-3 between 0 and 1e5"},
    {"nh3_total_ug_m3", 0.0, 1e5, "an amount in µg m-3 between 0 and 1e5"},
    {"hno3_total_ug_m3", 0.0, 1e5, "an amount in µg m-3 between 0 and 1e5"},
};

// Shortest text that reads back to the same double (%.17g is exact; %.9g is enough for output
// whose inputs are µg m-3 given to a few digits, and keeps the table readable).
std::string num(double v) {
    if (std::isnan(v)) return "nan";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

const char* regime_name(int regime) {
    switch (regime) {
        case kernels::kRegimeSulfateRich: return "sulfate_rich";
        case kernels::kRegimeSulfatePoor: return "sulfate_poor";
        default: return "none";
    }
}
}  // namespace

const std::vector<std::string> kAerosolBoxInputColumns = {"T_K",       "rh",
                                                          "pressure_hpa", "so4_ug_m3",
                                                          "nh3_total_ug_m3", "hno3_total_ug_m3"};
const std::vector<std::string> kAerosolBoxResultColumns = {
    "nh3_gas_ug_m3", "hno3_gas_ug_m3", "nh4_ug_m3", "no3_ug_m3", "water_ug_m3", "ph",
    "dry_weight",    "regime",         "iterations", "converged", "residual"};

std::vector<AerosolBoxCase> aerosol_box_cases(const CsvTable& t) {
    std::size_t col[6];
    for (int k = 0; k < 6; ++k) col[k] = t.require(kColumns[k].name);
    if (t.rows.empty())
        throw ConfigError(t.path + ": no cases (after the header line " + std::to_string(t.header_line) +
                          ", one line per case: " + kColumns[0].name + ",rh,pressure_hpa,so4_ug_m3,nh3_total_ug_m3,"
                          "hno3_total_ug_m3)");
    std::vector<AerosolBoxCase> cases;
    cases.reserve(t.rows.size());
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        AerosolBoxCase c;
        double v[6];
        for (int k = 0; k < 6; ++k) {
            v[k] = t.number(r, col[k], kColumns[k].lo, kColumns[k].hi, kColumns[k].range_text);
            c.cells.push_back(t.cell(r, col[k]));
        }
        c.T_K = v[0];
        c.rh = v[1];
        c.pressure_hpa = v[2];
        c.so4_ug_m3 = v[3];
        c.nh3_total_ug_m3 = v[4];
        c.hno3_total_ug_m3 = v[5];
        c.line = t.line_numbers[r];
        cases.push_back(std::move(c));
    }
    return cases;
}

std::vector<AerosolBoxCase> read_aerosol_box_cases(const std::string& path) { return aerosol_box_cases(read_csv_file(path)); }

kernels::EquilibriumInput aerosol_box_input(const AerosolBoxCase& c) {
    kernels::EquilibriumInput in;
    in.T_K = c.T_K;
    in.rh = c.rh;
    in.air_mol_m3 = c.pressure_hpa * 100.0 / (phys::kGasConstant * c.T_K);  // n = p / (R T)
    // µg m-3 → mol m-3: × 1e-6 g/µg ÷ M (g mol-1)
    in.so4_mol_m3 = c.so4_ug_m3 * 1e-6 / kMolarMassSO4;
    in.nh3_total_mol_m3 = c.nh3_total_ug_m3 * 1e-6 / kMolarMassNH3;
    in.hno3_total_mol_m3 = c.hno3_total_ug_m3 * 1e-6 / kMolarMassHNO3;
    return in;
}

void write_aerosol_box(std::ostream& out, const std::vector<AerosolBoxCase>& cases, kernels::AerosolBranch branch) {
    std::string header;
    for (const auto& h : kAerosolBoxInputColumns) header += (header.empty() ? "" : ",") + h;
    for (const auto& h : kAerosolBoxResultColumns) header += "," + h;
    out << header << "\n";
    for (const auto& c : cases) {
        kernels::EquilibriumResult r;
        kernels::solve_equilibrium(aerosol_box_input(c), branch, r);
        std::string line;
        for (const auto& cell : c.cells) line += (line.empty() ? "" : ",") + cell;
        // mol m-3 → µg m-3: × M (g mol-1) × 1e6 µg/g; water kg m-3 → µg m-3: × 1e9.
        const double to_ug = 1e6;
        const bool wet = r.water_kg_m3 > 0;
        line += "," + num(r.nh3_gas_mol_m3 * kMolarMassNH3 * to_ug) + "," + num(r.hno3_gas_mol_m3 * kMolarMassHNO3 * to_ug) +
                "," + num(r.nh4_mol_m3 * kMolarMassNH4 * to_ug) + "," + num(r.no3_mol_m3 * kMolarMassNO3 * to_ug) + "," +
                num(r.water_kg_m3 * 1e9) + "," + num(wet ? r.ph : std::nan("")) + "," + num(r.dry_weight) + "," +
                regime_name(r.regime) + "," + std::to_string(r.iterations) + "," + (r.converged ? "1" : "0") + "," +
                num(r.residual);
        out << line << "\n";
    }
}

kernels::AerosolBranch parse_aerosol_branch(const std::string& text) {
    if (text == "stable") return kernels::AerosolBranch::stable;
    if (text == "metastable") return kernels::AerosolBranch::metastable;
    throw ConfigError("--branch: " + (text.empty() ? std::string("(empty)") : text) +
                      ": must be 'stable' (solids below the deliquescence RH) or 'metastable' (liquid below it "
                      "until (NH4)2SO4 effloresces at 35%)");
}

}  // namespace lantian
