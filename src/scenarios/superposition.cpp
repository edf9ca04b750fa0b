// Superposition of tags: weights, series, and the per-city evaluation of lists.
#include "scenarios/superposition.hpp"

#include <netcdf.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "config/config_parser.hpp"
#include "config/time_utils.hpp"
#include "scenarios/regions.hpp"
#include "output/file_names.hpp"
#include "output/netcdf_reader.hpp"
#include "output/receptors.hpp"
#include "state/species_properties.hpp"

namespace lantian {

namespace {

// The inventory pollutants whose cut scales a model species (its primary emission and, for the
// secondary species, the precursor): the chemistry is linear, so the product follows the precursor.
std::vector<int> feeding(const std::string& species) {
    auto idx = [](Pollutant p) { return static_cast<int>(p); };
    if (species == "SO2" || species == "SO4") return {idx(Pollutant::SO2)};
    if (species == "NO2" || species == "NO3") return {idx(Pollutant::NOx)};
    if (species == "NH3" || species == "NH4") return {idx(Pollutant::NH3)};
    if (species == "CO") return {idx(Pollutant::CO)};
    if (species == "PM25") return {idx(Pollutant::PM25)};
    if (species == "PMC") return {idx(Pollutant::PMC)};
    if (species == "DUST") return {idx(Pollutant::PM25), idx(Pollutant::PMC)};
    return {};
}

}  // namespace

std::string group_keep_factors(const TagGrouping& tags, const Inventory& inv, const RegionSet& regions, const ReductionList& list,
                               MeasureLevel level, std::vector<PollutantValues>& keep) {
    const std::size_t groups = static_cast<std::size_t>(tags.base_count());
    keep.assign(groups, PollutantValues{});
    std::vector<std::array<bool, kPollutants>> set(groups, std::array<bool, kPollutants>{});
    std::vector<std::string> first_source(groups);
    auto visit = [&](const std::string& id, Sector sector, char grade, const std::string& region,
                     const std::string& label) -> std::string {
        const int g = tags.group_of(id, sector, grade, region);
        if (g < 0) return label + " has no tag in this run";
        for (int p = 0; p < kPollutants; ++p) {
            const double k = 1.0 - reduction_cut(list, SourceKey{id, sector, grade, region}, p, level);
            if (!set[g][p]) {
                set[g][p] = true;
                keep[g][p] = k;
                first_source[g] = label;
            } else if (keep[g][p] != k) {
                return "tag " + tags.names()[tags.tag_of(g, 0)] + " holds " + first_source[g] + " and " + label + ", which " + list.name +
                       " (" + measure_level_name(level) + ") cuts differently for " + std::string(kPollutantNames[p]) +
                       "; tag the run by this list (tags.by = lists, tags.lists = " + list.path + ") to evaluate it";
            }
        }
        return "";
    };
    for (const PointStack& p : inv.points)
        if (auto e = visit(p.id, p.sector, p.grade, regions.region_of(p.lon, p.lat), "stack " + p.id); !e.empty()) return e;
    for (const RoadLink& r : inv.roads)
        if (auto e = visit("", Sector::traffic, 0, regions.region_of(r.path), "road " + r.id); !e.empty()) return e;
    for (const AreaCell& a : inv.areas)
        if (auto e = visit("", a.sector, 0, regions.region_of(0.5 * (a.lon0 + a.lon1), 0.5 * (a.lat0 + a.lat1)),
                           std::string(sector_name(a.sector)) + " area cells");
            !e.empty())
            return e;
    for (std::size_t g = 0; g < groups; ++g)
        for (int p = 0; p < kPollutants; ++p)
            if (!set[g][p]) keep[g][p] = 1.0;  // empty groups are not cut
    return "";
}

SeriesFile superpose(const SeriesFile& base, const std::vector<std::string>& species, const TagGrouping& tags,
                     const std::vector<PollutantValues>& keep, const std::vector<double>& pm25_fraction,
                     const std::vector<double>& pm10_fraction, const std::vector<std::string>& untagged) {
    SeriesFile out = base;
    const std::size_t n = base.names.size() * base.hours.size();
    std::vector<double> pm25(n, 0.0), pm10(n, 0.0);
    for (std::size_t s = 0; s < species.size(); ++s) {
        std::vector<double> sum(n, 0.0);
        const auto feeds = feeding(species[s]);
        const bool has_tags = std::find(untagged.begin(), untagged.end(), species[s]) == untagged.end();
        if (!has_tags) {
            // No tags (tags.species): the list must leave what feeds this species alone; then the
            // base series is exact (the tags would have summed to it with weight 1).
            for (std::size_t g = 0; g < tags.size(); ++g)
                for (int p : feeds)
                    if (keep[g][p] != 1.0)
                        throw ConfigError("it cuts " + std::string(kPollutantNames[p]) + " (tag " + tags.names()[g] + "), which feeds " +
                                          species[s] + ", but the run has no tags of " + species[s] +
                                          " (tags.species leaves it out); rerun with " + species[s] +
                                          " in tags.species, or with tags.species empty (every species)");
            const auto it = base.data.find(species[s]);
            if (it == base.data.end()) throw ConfigError(base.path + ": no series " + species[s]);
            sum = it->second;
        }
        for (std::size_t g = 0; has_tags && g < tags.size(); ++g) {
            const std::string var = species[s] + "__" + tags.names()[g];
            const auto it = base.data.find(var);
            if (it == base.data.end()) throw ConfigError(base.path + ": no tag series " + var + " (was the run tagged?)");
            double w = 1.0;
            if (!feeds.empty()) w = keep[g][feeds[0]];
            for (int p : feeds)
                if (keep[g][p] != w)
                    throw ConfigError("tag " + tags.names()[g] + ": " + species[s] + " comes from pollutants the list cuts "
                                      "differently; it cannot be superposed");
            for (std::size_t k = 0; k < n; ++k) sum[k] += w * it->second[k];
        }
        // CO and other species are in output units already (the series file's); the PM totals add µg m-3.
        for (std::size_t k = 0; k < n; ++k) {
            pm25[k] += pm25_fraction[s] * sum[k];
            pm10[k] += pm10_fraction[s] * sum[k];
        }
        out.data[species[s]] = std::move(sum);
    }
    if (out.has("PM25_total")) out.data["PM25_total"] = pm25;
    if (out.has("PM10_total")) out.data["PM10_total"] = pm10;
    return out;
}

std::vector<int> trigger_levels(const Config& cfg, const SeriesFile& s) {
    int city = -1;
    for (std::size_t r = 0; r < s.names.size(); ++r)
        if (s.kinds[r] == 1 && (cfg.scenarios.trigger_city.empty() || s.names[r] == cfg.scenarios.trigger_city)) {
            city = static_cast<int>(r);
            break;
        }
    if (city < 0) throw ConfigError("scenarios.trigger_city = " + cfg.scenarios.trigger_city + ": not a city of receptors.cities");
    const AlertRules rules = parse_alert_rules(cfg.alerts.yellow, cfg.alerts.orange, cfg.alerts.red);
    const auto days = daily_rows(s, static_cast<std::size_t>(city), cfg.alerts, rules);
    std::vector<AlertLevel> alerts;
    for (const auto& d : days) alerts.push_back(d.alert);
    const std::vector<MeasureLevel> hourly = hourly_measures(alerts, cfg.scenarios.lead_time_h);
    // hourly[0] is local midnight of the first day; the run starts `offset` hours later.
    const double start = parse_iso_time_utc(cfg.run.start);
    const double local = start + cfg.alerts.utc_offset_h * 3600.0;
    const int offset = static_cast<int>(std::lround((local - std::floor(local / 86400.0) * 86400.0) / 3600.0));
    const int hours = static_cast<int>(std::ceil(cfg.run.hours - 1e-9));
    std::vector<int> out(hours, 0);
    for (int h = 0; h < hours; ++h)
        if (h + offset < static_cast<int>(hourly.size())) out[h] = static_cast<int>(hourly[h + offset]);
    return out;
}

std::string evaluate_lists(const SuperpositionOptions& o) {
    const auto t0 = std::chrono::steady_clock::now();
    std::string config_text, series_name, tags_kind, config_dir;
    {
        const NcReader run(o.run_file, "cannot open the run's output");
        config_text = run.text_att(NC_GLOBAL, "lantian_config");
        series_name = run.text_att(NC_GLOBAL, "lantian_receptors_file");
        tags_kind = run.text_att(NC_GLOBAL, "lantian_tags");
        config_dir = run.text_att(NC_GLOBAL, "lantian_config_dir");
    }
    if (config_text.empty()) throw ConfigError(o.run_file + ": not a Lantian run output (no lantian_config)");
    if (config_text.find("cb6r3") != std::string::npos) {
        const Config stored = load_stored_config(config_text, (config_dir.empty() ? "." : config_dir) + "/stored-config.ini");
        if (stored.chemistry.mechanism != ChemistryMechanism::linear)
            throw ConfigError(o.run_file + ": the run used photochemistry (chemistry.mechanism = cb6r3), whose O3 and "
                                           "secondary species respond non-linearly to emissions, so reduction lists cannot be "
                                           "superposed from it; run the lists as scenarios of one photochemical run "
                                           "(scenarios.runs = NAME:LIST.csv:LEVEL), which share its weather and photolysis");
    }
    if (tags_kind.empty())
        throw ConfigError(o.run_file + ": the run has no tags; rerun it with tags.by = lists (tags.lists = the lists to "
                                       "evaluate) or tags.by = sector");
    if (series_name.empty()) throw ConfigError(o.run_file + ": the run has no receptor series ([receptors])");
    const Config cfg = load_stored_config(config_text, (config_dir.empty() ? "." : config_dir) + "/stored-config.ini");
    const Inventory inv = load_inventory(cfg);
    const TagGrouping tags(cfg, inv);
    // Species without tags (tags.species): their base series stands when a list leaves them alone.
    std::vector<std::string> untagged;
    const std::vector<std::string> tagged = tagged_species(cfg, cfg.species.names);
    for (const auto& n : cfg.species.names)
        if (std::find(tagged.begin(), tagged.end(), n) == tagged.end()) untagged.push_back(n);
    const std::string folder = o.run_file.find('/') == std::string::npos ? "" : o.run_file.substr(0, o.run_file.rfind('/') + 1);
    const SeriesFile base = read_series(folder + series_name);
    const SpeciesPropertiesTable props = cfg.species.table.empty() ? SpeciesPropertiesTable::builtin()
                                                                   : SpeciesPropertiesTable::from_file(resolve_path(cfg, cfg.species.table));
    std::vector<double> f25, f10;
    for (const auto& n : cfg.species.names) {
        const SpeciesProperties* p = props.find(n);
        f25.push_back(p ? p->pm25_fraction : 0.0);
        f10.push_back(p ? p->pm10_fraction : 0.0);
    }
    const AlertRules rules = parse_alert_rules(cfg.alerts.yellow, cfg.alerts.orange, cfg.alerts.red);
    std::vector<std::vector<DailyRow>> base_days;
    for (std::size_t r = 0; r < base.names.size(); ++r) base_days.push_back(daily_rows(base, r, cfg.alerts, rules));

    std::ostringstream out, csv, html;
    html << "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Reduction lists</title><style>body{font-family:sans-serif;"
            "margin:2em}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}"
            "th{background:#eee}td.l{text-align:left}</style></head><body><h1>Emission-reduction lists evaluated by superposition</h1>"
         << "<p>Run: " << o.run_file << ". Superposition of the base case's tags: exact for linear advection; with the monotone "
            "limiter within about 0.5% of daily PM2.5 at the demonstration cities (benchmarks/README.md).</p>"
            "<table><tr><th>list</th><th>level</th><th>city</th><th>heavy days base</th><th>heavy days with the list</th>"
            "<th>avoided</th><th>peak 24-h PM2.5 base</th><th>with the list</th><th>change</th><th>mean daily change</th></tr>";
    csv << "list,level,receptor,kind,heavy_days_base,heavy_days_scenario,heavy_days_avoided,peak_pm25_base,peak_pm25_scenario,"
           "peak_pm25_change,mean_pm25_change";
    for (int c = 1; c <= 6; ++c) csv << ",days_" << aqi::category_level(c) << "_base,days_" << aqi::category_level(c) << "_scenario";
    csv << "\n";
    out << "superposition of " << tags.size() << " tags of " << o.run_file << " (exact for linear advection; with the "
        << "monotone limiter its error is measured in benchmarks/README.md)\n";
    int evaluated = 0;
    for (const std::string& path : o.lists) {
        const ReductionList list = read_reduction_list(path);
        for (const std::string& level_name : o.levels) {
            const auto fixed_level = measure_level_from_name(level_name);
            if (!fixed_level && level_name != "triggered")
                throw ConfigError("--levels " + level_name + ": must be always, yellow, orange, red or triggered");
            // The list's state (level in force, windows open) in every hour of the run, then in every
            // emission period of the tags: it must not change inside a period.
            const int hours = static_cast<int>(std::ceil(cfg.run.hours - 1e-9));
            const std::vector<int> triggered = fixed_level ? std::vector<int>{} : trigger_levels(cfg, base);
            const double start = parse_iso_time_utc(cfg.run.start);
            auto state_at = [&](int h) {
                std::string key = std::to_string(fixed_level ? static_cast<int>(*fixed_level) : triggered[h]) + ":";
                const double mid = start + (h + 0.5) * 3600.0;
                for (const ReductionRow& r : list.rows) key += row_active(r, mid) ? '1' : '0';
                return key;
            };
            std::vector<PollutantValues> keep(tags.size());
            for (auto& k : keep) k.fill(1.0);  // fixed and background are never cut
            const double period_h = tags.periods() > 1 ? tags.period_h() : std::max(1.0, cfg.run.hours);
            for (int p = 0; p < tags.periods(); ++p) {
                const int h0 = static_cast<int>(std::floor(p * period_h)), h1 = std::min(hours, static_cast<int>(std::ceil((p + 1) * period_h)));
                const std::string key = state_at(h0);
                for (int h = h0 + 1; h < h1; ++h)
                    if (state_at(h) != key)
                        throw ConfigError("cannot evaluate " + list.name + " (" + level_name + "): its measures change in hour " +
                                          std::to_string(h) + ", inside an emission period of the tags (" +
                                          (tags.periods() > 1 ? "tags.period_h = " + std::to_string(period_h) : std::string("no tags.period_h")) +
                                          "); it needs tags split by emission period at least as fine as its changes (e.g. "
                                          "tags.period_h = 24 for measures that change at day boundaries)");
                ReductionList open = list;
                open.rows.clear();
                for (std::size_t r = 0; r < list.rows.size(); ++r)
                    if (key[key.find(':') + 1 + r] == '1') open.rows.push_back(list.rows[r]);
                const auto level = static_cast<MeasureLevel>(std::stoi(key.substr(0, key.find(':'))));
                std::vector<PollutantValues> group_keep;
                const std::string problem = group_keep_factors(tags, inv, RegionSet(cfg.regions), open, level, group_keep);
                if (!problem.empty()) throw ConfigError("cannot evaluate " + list.name + " at " + level_name + ": " + problem);
                for (int g = 0; g < tags.base_count(); ++g) keep[tags.tag_of(g, p)] = group_keep[g];
            }
            SeriesFile scen;
            try {
                scen = superpose(base, cfg.species.names, tags, keep, f25, f10, untagged);
            } catch (const ConfigError& e) {
                throw ConfigError("cannot evaluate " + list.name + " at " + level_name + ": " + e.what());
            }
            ++evaluated;
            out << "\n" << list.name << " at " << level_name << ":\n";
            for (std::size_t r = 0; r < base.names.size(); ++r) {
                if (base.kinds[r] != 1) continue;  // cities
                const auto days = daily_rows(scen, r, cfg.alerts, rules);
                const auto& b = base_days[r];
                int heavy_b = 0, heavy_s = 0;
                double peak_b = 0, peak_s = 0, mean_change = 0;
                int ndays = 0;
                std::array<int, 7> cat_b{}, cat_s{};
                for (std::size_t d = 0; d < days.size(); ++d) {
                    if (!b[d].complete) continue;
                    ++ndays;
                    heavy_b += aqi::heavy_pollution(b[d].aqi.aqi);
                    heavy_s += aqi::heavy_pollution(days[d].aqi.aqi);
                    peak_b = std::max(peak_b, b[d].pm25);
                    peak_s = std::max(peak_s, days[d].pm25);
                    mean_change += days[d].pm25 - b[d].pm25;
                    ++cat_b[b[d].aqi.category];
                    ++cat_s[days[d].aqi.category];
                }
                if (ndays) mean_change /= ndays;
                out << "  " << std::left << std::setw(12) << base.names[r] << std::right << " heavy days " << heavy_b << " -> "
                    << heavy_s << " (avoided " << heavy_b - heavy_s << "), peak 24-h PM2.5 " << std::fixed << std::setprecision(1)
                    << peak_b << " -> " << peak_s << " ug/m3 (" << std::showpos << peak_s - peak_b << std::noshowpos
                    << "), mean daily change " << std::showpos << mean_change << std::noshowpos << " ug/m3\n";
                html << "<tr><td class=\"l\">" << list.name << "</td><td class=\"l\">" << level_name
                     << "</td><td class=\"l\">" << base.names[r] << "</td><td>" << heavy_b << "</td><td>" << heavy_s << "</td><td>"
                     << heavy_b - heavy_s << "</td><td>" << peak_b << "</td><td>" << peak_s << "</td><td>" << std::showpos
                     << peak_s - peak_b << "</td><td>" << mean_change << std::noshowpos << "</td></tr>";
                csv << list.name << "," << level_name << "," << base.names[r] << ",city," << heavy_b << "," << heavy_s
                    << "," << heavy_b - heavy_s << "," << peak_b << "," << peak_s << "," << peak_s - peak_b << "," << mean_change;
                for (int c = 1; c <= 6; ++c) csv << "," << cat_b[c] << "," << cat_s[c];
                csv << "\n";
            }
        }
    }
    std::string csv_path = o.csv;
    if (csv_path.empty()) csv_path = strip_nc_suffix(o.run_file) + "_scenarios.csv";
    std::ofstream(csv_path) << csv.str();
    std::string html_path = csv_path;
    if (html_path.ends_with(".csv")) html_path.resize(html_path.size() - 4);
    html << "</table></body></html>\n";
    std::ofstream(html_path + ".html") << html.str();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    out << "\n" << evaluated << " list-level combination(s) evaluated in " << std::setprecision(2) << seconds << " s; table: " << csv_path
        << ", page: " << html_path << ".html\n";
    return out.str();
}

}  // namespace lantian
