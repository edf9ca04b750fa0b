// Emission sectors and inventory pollutants: the fixed vocabulary every inventory file, profile,
// speciation row, ledger line and report shares. Names only; no data.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace lantian {

// The sectors of docs/input-formats.md ("Sectoral emission inventory"). Every inventory source
// belongs to exactly one of the first seven; `fixed` holds the constant-rate releases of [sources]
// (test and idealized tracers), which are not an inventory; `biogenic` the weather-dependent
// isoprene and monoterpenes of the photochemical mode (emissions/biogenic.hpp); `dust_windblown`
// the wind-blown dust of erodible land (emissions/dust.hpp, docs/dust.md), apart from the inventory's
// anthropogenic fugitive `dust`. The ledger books `biogenic` and `dust_windblown` only in runs that
// emit them (Ledger::add_sector), so other runs keep their layout.
enum class Sector { steel, power, traffic, residential, industry, dust, agriculture, fixed, biogenic, dust_windblown };
inline constexpr int kInventorySectors = 7;   // steel … agriculture
inline constexpr int kAllSectors = 10;        // plus fixed, biogenic and dust_windblown

inline constexpr std::array<std::string_view, kAllSectors> kSectorNames{
    "steel", "power", "traffic", "residential", "industry", "dust", "agriculture", "fixed", "biogenic", "dust_windblown"};

std::optional<Sector> sector_from_name(const std::string& name);  // inventory sectors only
inline std::string_view sector_name(Sector s) { return kSectorNames[static_cast<int>(s)]; }
inline std::string_view sector_name(int s) { return kSectorNames[s]; }
// "steel, power, …, agriculture" for error messages.
std::string inventory_sector_list();

// Inventory pollutants as carried internally (t/yr per source). The inventory files give PM10,
// which includes PM2.5; internally the coarse part PMC = PM10 − PM2.5 is kept so that every
// pollutant is a disjoint mass. NOx is NO2 mass.
enum class Pollutant { SO2, NOx, CO, PM25, PMC, VOC, NH3 };
inline constexpr int kPollutants = 7;
inline constexpr std::array<std::string_view, kPollutants> kPollutantNames{"SO2", "NOx", "CO", "PM25",
                                                                          "PMC", "VOC", "NH3"};
std::optional<Pollutant> pollutant_from_name(const std::string& name);

// The pollutants as users read them in inventory files and summaries: PM10 instead of PMC.
inline constexpr std::array<std::string_view, kPollutants> kReportedPollutants{"SO2", "NOx", "CO", "PM25",
                                                                              "PM10", "VOC", "NH3"};
// Reported value r from internal values p (t/yr): PM10 = PM25 + PMC, the rest as they are.
using PollutantValues = std::array<double, kPollutants>;
PollutantValues reported_values(const PollutantValues& internal);

}  // namespace lantian
