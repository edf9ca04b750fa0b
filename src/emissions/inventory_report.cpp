// Inventory summary tables and the gridded annual emission file.
#include "emissions/inventory_report.hpp"

#include <algorithm>
#include <iomanip>
#include <sstream>

#include "grid/grid.hpp"
#include "output/output_grid.hpp"

namespace lantian {

namespace {
constexpr int kColumnWidth = 12;

void row(std::ostringstream& o, const std::string& label, const PollutantValues& v) {
    o << std::left << std::setw(13) << label << std::right;
    for (double x : v) o << std::setw(kColumnWidth) << x;
    o << "\n";
}

void header(std::ostringstream& o, const std::string& title) {
    o << title << "\n" << std::left << std::setw(13) << "sector" << std::right;
    for (const auto p : kReportedPollutants) o << std::setw(kColumnWidth) << p;
    o << "\n";
}
}  // namespace

std::string inventory_totals_table(const InventorySummary& s) {
    std::ostringstream o;
    o << std::fixed << std::setprecision(1);
    PollutantValues all{}, in{};
    header(o, "inventory totals (t/yr; NOx as NO2; PM10 includes PM2.5)");
    for (int c = 0; c < kInventorySectors; ++c) {
        const PollutantValues r = reported_values(s.total_t[c]);
        for (int p = 0; p < kPollutants; ++p) all[p] += r[p];
        row(o, std::string(sector_name(c)), r);
    }
    row(o, "total", all);
    o << "\n";
    header(o, "inside the model domain (t/yr)");
    for (int c = 0; c < kInventorySectors; ++c) {
        const PollutantValues r = reported_values(s.inside_t[c]);
        for (int p = 0; p < kPollutants; ++p) in[p] += r[p];
        row(o, std::string(sector_name(c)), r);
    }
    row(o, "total", in);
    PollutantValues share{};
    for (int p = 0; p < kPollutants; ++p) share[p] = all[p] > 0 ? 100.0 * in[p] / all[p] : 100.0;
    row(o, "share in (%)", share);
    o << "\nsources: " << s.stacks << " stacks, " << s.roads << " road links, " << s.area_cells << " area cells\n";
    return o.str();
}

std::string inventory_voc_table(const InventorySummary& s, const std::vector<std::string>& run_species) {
    const int voc = static_cast<int>(Pollutant::VOC);
    double inside = 0;
    for (int c = 0; c < kInventorySectors; ++c) inside += s.inside_t[c][voc];
    std::ostringstream o;
    o << std::fixed << std::setprecision(1);
    if (s.voc_species_t.empty()) {
        o << "VOC: " << inside << " t/yr inside the domain, not emitted (the speciation maps VOC to no model species; "
             "the linear mode has none)\n";
        return o.str();
    }
    std::vector<std::pair<std::string, double>> rows(s.voc_species_t.begin(), s.voc_species_t.end());
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    const auto share = [inside](double t) { return inside > 0 ? 100.0 * t / inside : 0.0; };
    const auto line = [&o, &share](const std::string& label, double t, const std::string& note) {
        o << std::left << std::setw(13) << label << std::right << std::setprecision(1) << std::setw(kColumnWidth) << t
          << std::setprecision(2) << std::setw(kColumnWidth) << share(t) << note << "\n";
    };
    o << "VOC as emitted by species (t/yr of species mass inside the domain; % of the VOC)\n"
      << std::left << std::setw(13) << "species" << std::right << std::setw(kColumnWidth) << "t/yr"
      << std::setw(kColumnWidth) << "%" << "\n";
    double assigned = 0, missing = 0;
    for (const auto& [name, t] : rows) {
        assigned += t;
        const bool in_run = std::find(run_species.begin(), run_species.end(), name) != run_species.end();
        if (!in_run) missing += t;
        line(name, t, in_run ? "" : "  (not in species.names: not emitted)");
    }
    line("emitted", assigned - missing, "");
    std::ostringstream why;
    why << std::fixed << std::setprecision(1) << "  (given to no species, unreactive: " << inside - assigned << " t/yr";
    if (missing > 0) why << "; species not in the run: " << missing << " t/yr";
    why << ")";
    line("not emitted", inside - assigned + missing, why.str());
    line("VOC total", inside, "");
    return o.str();
}

std::string outside_sources_table(const InventorySummary& s, std::size_t max_rows) {
    std::ostringstream o;
    if (s.outside.empty()) return "every source lies inside the domain\n";
    o << s.outside.size() << " source(s) outside the domain (wholly or in part):\n";
    o << std::left << std::setw(10) << "kind" << std::setw(28) << "id" << std::setw(13) << "sector" << std::right
      << std::setw(10) << "inside %" << std::setw(12) << "SO2 t/yr" << std::setw(12) << "NOx t/yr" << std::setw(12)
      << "PM25 t/yr" << "  name\n";
    std::size_t shown = 0;
    for (const auto& x : s.outside) {
        if (shown++ == max_rows) {
            o << "... and " << s.outside.size() - max_rows << " more\n";
            break;
        }
        o << std::left << std::setw(10) << x.kind << std::setw(28) << x.id << std::setw(13) << sector_name(x.sector)
          << std::right << std::fixed << std::setprecision(1) << std::setw(10) << 100.0 * x.inside_share << std::setw(12)
          << x.annual_t[0] << std::setw(12) << x.annual_t[1] << std::setw(12) << x.annual_t[3] << "  " << x.name << "\n";
    }
    return o.str();
}

void write_inventory_netcdf(const std::string& path, const Grid& grid, const EmissionModel& model,
                            const OutputMetadata& meta) {
    std::vector<MapField> fields;
    const std::size_t plane = grid.columns();
    for (int p = 0; p < kPollutants; ++p) {
        const std::string pollutant(kReportedPollutants[p]);
        std::vector<double> total(plane, 0.0);
        for (int c = 0; c < kInventorySectors; ++c) {
            std::vector<double> v = model.annual_map(c, p);
            if (p == static_cast<int>(Pollutant::PMC)) {  // PM10 = PM2.5 + coarse
                const auto& fine = model.annual_map(c, static_cast<int>(Pollutant::PM25));
                for (std::size_t k = 0; k < plane; ++k) v[k] += fine[k];
            }
            for (std::size_t k = 0; k < plane; ++k) total[k] += v[k];
            MapField f;
            f.name = pollutant + "_" + std::string(sector_name(c));
            f.long_name = "annual " + pollutant + " emission of sector " + std::string(sector_name(c)) + " per grid cell";
            f.units = "t yr-1";
            f.cell_methods = "area: sum";
            f.attributes["lantian_sector"] = std::string(sector_name(c));
            f.attributes["lantian_pollutant"] = pollutant;
            f.values = std::move(v);
            fields.push_back(std::move(f));
        }
        MapField f;
        f.name = pollutant + "_total";
        f.long_name = "annual " + pollutant + " emission of all sectors per grid cell";
        f.units = "t yr-1";
        f.cell_methods = "area: sum";
        f.attributes["lantian_pollutant"] = pollutant;
        f.values = std::move(total);
        fields.push_back(std::move(f));
    }
    MapField area;
    area.name = "cell_area";
    area.long_name = "area of the grid cell on the sphere";
    area.units = "m2";
    area.standard_name = "cell_area";
    area.values = grid.area_m2();
    fields.push_back(std::move(area));
    write_map_file(path, output_grid(grid), fields, meta, 4);
}

}  // namespace lantian
