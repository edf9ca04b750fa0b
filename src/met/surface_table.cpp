// Reading of the surface-layer table (met.table), its values checked against met/plausibility.hpp.
#include "met/surface_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "config/config.hpp"
#include "config/time_utils.hpp"
#include "met/plausibility.hpp"

namespace lantian {

std::vector<SurfaceRow> read_surface_table(const std::string& path, double start_epoch_s, double run_s) {
    std::vector<SurfaceRow> rows;
    std::vector<std::string> header;
    std::ifstream in(path);
    if (!in) throw ConfigError(path + ": cannot open met.table");
    std::string line;
    int line_no = 0;
    const std::vector<std::string> expected = {"time", "speed_m_s", "direction_deg", "mo_length_m", "pblh_m"};
    while (std::getline(in, line)) {
        ++line_no;
        if (line_no == 1) drop_utf8_bom(line);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> cols;
        std::stringstream ss(line);
        std::string cell;
        while (std::getline(ss, cell, ',')) cols.push_back(cell);
        if (rows.empty() && header.empty()) {
            header = cols;
            for (std::size_t c = 0; c < expected.size(); ++c)
                if (c >= cols.size() || cols[c] != expected[c])
                    throw ConfigError(path + ":" + std::to_string(line_no) +
                                      ": header must start with time,speed_m_s,direction_deg,mo_length_m,pblh_m[,ustar_m_s]");
            // A sixth column is read as u*, so the header must say so (columns after it are ignored).
            if (cols.size() > expected.size() && cols[expected.size()] != "ustar_m_s")
                throw ConfigError(path + ":" + std::to_string(line_no) + ": header: after pblh_m only ustar_m_s may follow (found '" +
                                  cols[expected.size()] + "')");
            continue;
        }
        // Every row has the header's columns, so that each value has a column name.
        if (cols.size() != header.size())
            throw ConfigError(path + ":" + std::to_string(line_no) + ": expected " + std::to_string(header.size()) +
                              " columns (as in the header), found " + std::to_string(cols.size()));
        SurfaceRow r{};
        try {
            r.t_s = parse_iso_time_utc(cols[0]) - start_epoch_s;
        } catch (const ConfigError&) {
            throw ConfigError(path + ":" + std::to_string(line_no) + ": time: " + cols[0] +
                              ": not an ISO time YYYY-MM-DDTHH:MM:SS");
        }
        double* targets[] = {&r.speed_m_s, &r.direction_deg, &r.mo_length_m, &r.pblh_m, &r.ustar_m_s};
        for (std::size_t c = 1; c < std::min<std::size_t>(cols.size(), 6); ++c) {
            char* end = nullptr;
            const double value = std::strtod(cols[c].c_str(), &end);
            if (cols[c].empty() || *end != '\0' || !std::isfinite(value))
                throw ConfigError(path + ":" + std::to_string(line_no) + ": " + header[c] + ": " + cols[c] +
                                  ": not a number");
            *targets[c - 1] = value;
        }
        auto bad = [&](const std::string& col, double v, const std::string& why) {
            std::ostringstream m;
            m << path << ":" << line_no << ": " << col << ": " << v << ": " << why;
            throw ConfigError(m.str());
        };
        if (r.speed_m_s < 0) bad("speed_m_s", r.speed_m_s, "must be >= 0");
        if (r.direction_deg < 0 || r.direction_deg > 360) bad("direction_deg", r.direction_deg, "must be in [0, 360]");
        if (r.mo_length_m == 0) bad("mo_length_m", r.mo_length_m, "must be non-zero (use a large value for neutral)");
        if (r.pblh_m <= 0) bad("pblh_m", r.pblh_m, "must be > 0");
        // Plausibility (met/plausibility.hpp), naming the row's time.
        auto plausible = [&](const std::string& col, double v, Quantity q) {
            if (!is_plausible(q, v))
                throw ConfigError(path + ":" + std::to_string(line_no) + ": " + col + " at " + cols[0] + ": " +
                                  implausible_reason(q, v));
        };
        plausible("speed_m_s", r.speed_m_s, Quantity::wind_speed);
        plausible("pblh_m", r.pblh_m, Quantity::pblh);
        if (cols.size() > 5) plausible("ustar_m_s", r.ustar_m_s, Quantity::ustar);
        if (!rows.empty() && r.t_s <= rows.back().t_s)
            throw ConfigError(path + ":" + std::to_string(line_no) + ": time: " + cols[0] + ": times must increase");
        rows.push_back(r);
    }
    if (rows.empty()) throw ConfigError(path + ": met.table has no data rows");
    if (rows.front().t_s > 0.0 || rows.back().t_s < run_s)
        throw ConfigError(path + ": met.table covers " + format_iso_time_utc(rows.front().t_s + start_epoch_s) + " to " +
                          format_iso_time_utc(rows.back().t_s + start_epoch_s) + ", the run needs " +
                          format_iso_time_utc(start_epoch_s) + " to " + format_iso_time_utc(start_epoch_s + run_s));
    return rows;
}

}  // namespace lantian
