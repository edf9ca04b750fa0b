// `lantian aerosol-equilibrium`: the sulfate–nitrate–ammonium–water equilibrium of
// kernels/aerosol_equilibrium for cases a user lists in a CSV file (a box calculation, to check the
// thermodynamics on one's own air). Reads the cases, converts µg m-3 to mol m-3, calls the kernel,
// formats the CSV answer. docs/aerosol-equilibrium.md ("The box tool").
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "aerosol_equilibrium.hpp"
#include "emissions/csv_table.hpp"

namespace lantian {

// Molar masses (g mol-1) of the equivalents the tool reads and writes.
inline constexpr double kMolarMassSO4 = 96.06;
inline constexpr double kMolarMassNH3 = 17.03;
inline constexpr double kMolarMassHNO3 = 63.01;
inline constexpr double kMolarMassNH4 = 18.04;
inline constexpr double kMolarMassNO3 = 62.00;

// One case: the columns of the input file, with the cells as written (echoed in the output).
struct AerosolBoxCase {
    double T_K = 0;               // temperature (K)
    double rh = 0;                // relative humidity (0–1)
    double pressure_hpa = 0;      // air pressure (hPa): the air's molar density n = p / (R T)
    double so4_ug_m3 = 0;         // total sulfate, µg m-3 of SO4
    double nh3_total_ug_m3 = 0;   // NH3(g) + NH4+(p), µg m-3 of NH3
    double hno3_total_ug_m3 = 0;  // HNO3(g) + NO3-(p), µg m-3 of HNO3
    std::vector<std::string> cells;  // the six cells as read, in the order of kAerosolBoxInputColumns
    int line = 0;                    // line in the file (1-based)
};

// The required input columns, in output order.
extern const std::vector<std::string> kAerosolBoxInputColumns;
// The result columns appended after them.
extern const std::vector<std::string> kAerosolBoxResultColumns;

// Cases from a CSV table (the strict dialect of emissions/csv_table: header, '#' comments). Columns
// may come in any order; other columns are ignored. ConfigError "file:line: column: value: reason"
// for a missing column, a cell that is not a number or is out of range (T 180–340 K, rh 0–1,
// pressure 10–1100 hPa, amounts 0–1e5 µg m-3), and for a file without cases.
std::vector<AerosolBoxCase> aerosol_box_cases(const CsvTable& table);
std::vector<AerosolBoxCase> read_aerosol_box_cases(const std::string& path);

// The kernel's input for a case (mol m-3 of air).
kernels::EquilibriumInput aerosol_box_input(const AerosolBoxCase& c);

// Solves every case and writes the CSV: a header line, then per case the input cells as read and
// nh3_gas_ug_m3, hno3_gas_ug_m3 (µg m-3 of NH3, HNO3), nh4_ug_m3, no3_ug_m3 (µg m-3 of NH4, NO3),
// water_ug_m3 (aerosol liquid water), ph (nan when the particle holds no water), dry_weight (1 dry
// … 0 aqueous), regime (none, sulfate_rich, sulfate_poor), iterations, converged (1/0), residual.
void write_aerosol_box(std::ostream& out, const std::vector<AerosolBoxCase>& cases, kernels::AerosolBranch branch);

// "stable" or "metastable"; ConfigError naming the option otherwise.
kernels::AerosolBranch parse_aerosol_branch(const std::string& text);

}  // namespace lantian
