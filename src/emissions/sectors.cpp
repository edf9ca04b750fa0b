// Sector and pollutant names.
#include "emissions/sectors.hpp"

namespace lantian {

std::optional<Sector> sector_from_name(const std::string& name) {
    for (int s = 0; s < kInventorySectors; ++s)
        if (kSectorNames[s] == name) return static_cast<Sector>(s);
    return std::nullopt;
}

std::string inventory_sector_list() {
    std::string out;
    for (int s = 0; s < kInventorySectors; ++s) out += (s ? ", " : "") + std::string(kSectorNames[s]);
    return out;
}

std::optional<Pollutant> pollutant_from_name(const std::string& name) {
    for (int p = 0; p < kPollutants; ++p)
        if (kPollutantNames[p] == name) return static_cast<Pollutant>(p);
    return std::nullopt;
}

PollutantValues reported_values(const PollutantValues& internal) {
    PollutantValues r = internal;
    r[static_cast<int>(Pollutant::PMC)] = internal[static_cast<int>(Pollutant::PM25)] + internal[static_cast<int>(Pollutant::PMC)];
    return r;
}

}  // namespace lantian
