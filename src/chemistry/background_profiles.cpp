// Background profiles of the photochemical mode; see the header.
#include "chemistry/background_profiles.hpp"

#include "chemistry/builtin_mechanisms.hpp"
#include "chemistry/photochemical_mechanism.hpp"
#include "config/config_parser.hpp"
#include "emissions/csv_table.hpp"

namespace lantian {

namespace {
BackgroundProfiles from_table(const CsvTable& t) {
    const std::size_t c_species = t.require("species"), c_z = t.require("height_m"), c_ppb = t.require("ppb");
    BackgroundProfiles out;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const std::string& name = t.cell(r, c_species);
        if (name.empty()) t.fail(r, c_species, "empty species name");
        const double z = t.number(r, c_z, 0, 1e5, "a height in [0, 100000] m");
        const double ppb = t.number(r, c_ppb, 0, 1e7, "a mixing ratio in [0, 1e7] ppb");
        auto& points = out[name];
        if (!points.empty() && !(z > points.back().first))
            t.fail(r, c_z, "heights of " + name + " must increase from row to row");
        points.emplace_back(z, ppb);
    }
    return out;
}
}  // namespace

BackgroundProfiles parse_background_profiles(const std::string& csv_text, const std::string& label) {
    return from_table(parse_csv_text(csv_text, label));
}

BackgroundProfiles load_background_profiles(const Config& cfg) {
    if (cfg.chemistry.background_file.empty())
        return parse_background_profiles(builtin_cb6r3_background(), "built-in configs/mechanisms/cb6r3_background.csv");
    return from_table(read_csv_file(resolve_path(cfg, cfg.chemistry.background_file)));
}

std::vector<std::vector<std::pair<double, double>>> background_mixing_ratio_profiles(const Config& cfg,
                                                                                  const std::vector<std::string>& species) {
    constexpr double kAirMolarMass = 28.97;  // g mol-1, dry air
    std::vector<std::vector<std::pair<double, double>>> out(species.size());
    if (cfg.chemistry.mechanism == ChemistryMechanism::linear) return out;
    const chem::Mechanism mech = load_mechanism(cfg);
    const BackgroundProfiles table = load_background_profiles(cfg);
    for (std::size_t s = 0; s < species.size(); ++s) {
        const auto it = table.find(species[s]);
        const int ms = mech.find_species(species[s]);
        if (it == table.end() || ms < 0 || cfg.species.background_ug_m3.count(species[s])) continue;
        const double molar_mass = mech.species[static_cast<std::size_t>(ms)].molar_mass_g_mol;
        for (const auto& [z, ppb] : it->second) out[s].emplace_back(z, ppb * molar_mass / kAirMolarMass);
    }
    return out;
}

double profile_ppb(const std::vector<std::pair<double, double>>& p, double z_m) {
    if (p.empty()) return 0.0;
    if (z_m <= p.front().first) return p.front().second;
    for (std::size_t i = 1; i < p.size(); ++i)
        if (z_m <= p[i].first) {
            const double w = (z_m - p[i - 1].first) / (p[i].first - p[i - 1].first);
            return p[i - 1].second + w * (p[i].second - p[i - 1].second);
        }
    return p.back().second;
}

}  // namespace lantian
