// Receptor parsing, sampling and series files.
#include "output/receptors.hpp"

#include <netcdf.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "config/time_utils.hpp"
#include "grid/grid.hpp"
#include "output/file_names.hpp"
#include "output/storage.hpp"

namespace lantian {

namespace {

bool inside_polygon(const std::vector<LonLat>& poly, double lon, double lat) {
    bool in = false;
    for (std::size_t a = 0, b = poly.size() - 1; a < poly.size(); b = a++) {
        const LonLat &p = poly[a], &q = poly[b];
        if ((p.lat_deg > lat) != (q.lat_deg > lat) &&
            lon < (q.lon_deg - p.lon_deg) * (lat - p.lat_deg) / (q.lat_deg - p.lat_deg) + p.lon_deg)
            in = !in;
    }
    return in;
}

double distance_km(double lon1, double lat1, double lon2, double lat2) {
    const double d = kPi / 180.0;
    const double dp = (lat2 - lat1) * d, dl = (lon2 - lon1) * d;
    const double h = std::sin(dp / 2) * std::sin(dp / 2) + std::cos(lat1 * d) * std::cos(lat2 * d) * std::sin(dl / 2) * std::sin(dl / 2);
    return 2.0 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(h))) / 1000.0;
}

}  // namespace


bool city_contains(const Receptor& r, double lon, double lat) {
    return r.polygon.empty() ? distance_km(r.lon, r.lat, lon, lat) <= r.radius_km : inside_polygon(r.polygon, lon, lat);
}

ReceptorSampler::ReceptorSampler(const Grid& g, std::vector<Receptor> receptors) : receptors_(std::move(receptors)) {
    const int nx = g.nx(), ny = g.ny();
    for (const Receptor& r : receptors_) {
        std::vector<std::pair<std::size_t, double>> w;
        const std::string what = (r.kind == Receptor::Kind::station ? "receptors.stations: " : "receptors.cities: ") + r.name;
        if (r.kind == Receptor::Kind::station) {
            double fi = 0, fj = 0;
            if (!g.locate({r.lon, r.lat}, fi, fj))
                throw ConfigError(what + " at " + std::to_string(r.lon) + ", " + std::to_string(r.lat) + " lies outside the domain");
            // Bilinear between the four surrounding cell centres (clamped at the edges).
            const double x = std::clamp(fi, 0.0, nx - 1.0), y = std::clamp(fj, 0.0, ny - 1.0);
            const int i0 = std::min(static_cast<int>(std::floor(x)), nx - 2), j0 = std::min(static_cast<int>(std::floor(y)), ny - 2);
            const double ax = x - i0, ay = y - j0;
            const double wts[4] = {(1 - ax) * (1 - ay), ax * (1 - ay), (1 - ax) * ay, ax * ay};
            const int di[4] = {0, 1, 0, 1}, dj[4] = {0, 0, 1, 1};
            for (int k = 0; k < 4; ++k)
                if (wts[k] > 0) w.push_back({static_cast<std::size_t>(j0 + dj[k]) * nx + i0 + di[k], wts[k]});
            // fi, fj count cell centres: the cell the station lies in has the nearest centre.
            own_cell_.push_back(static_cast<std::size_t>(std::lround(y)) * nx + static_cast<std::size_t>(std::lround(x)));
        } else {
            double area = 0;
            for (std::size_t c = 0; c < g.columns(); ++c) {
                const bool in = r.polygon.empty() ? distance_km(r.lon, r.lat, g.lon()[c], g.lat()[c]) <= r.radius_km
                                                  : inside_polygon(r.polygon, g.lon()[c], g.lat()[c]);
                if (!in) continue;
                w.push_back({c, g.area_m2()[c]});
                area += g.area_m2()[c];
            }
            if (w.empty())
                throw ConfigError(what + ": no cell centre lies inside the city (outside the domain, or smaller than a cell)");
            for (auto& [c, x] : w) x /= area;
            std::size_t nearest = w.front().first;
            for (const auto& [c, x] : w)
                if (distance_km(r.lon, r.lat, g.lon()[c], g.lat()[c]) < distance_km(r.lon, r.lat, g.lon()[nearest], g.lat()[nearest]))
                    nearest = c;
            own_cell_.push_back(nearest);
        }
        weights_.push_back(std::move(w));
    }
}

std::vector<double> ReceptorSampler::sample(const std::vector<double>& field) const {
    std::vector<double> out(receptors_.size(), 0.0);
    for (std::size_t r = 0; r < receptors_.size(); ++r)
        for (const auto& [c, w] : weights_[r]) out[r] += w * field[c];
    return out;
}

std::vector<double> ReceptorSampler::sample_own_cell(const std::vector<double>& field) const {
    std::vector<double> out(receptors_.size());
    for (std::size_t r = 0; r < receptors_.size(); ++r) out[r] = field[own_cell_[r]];
    return out;
}

std::string receptor_file_for(const std::string& output_file, const std::string& extension) {
    return strip_nc_suffix(output_file) + "_receptors" + extension;
}

struct ReceptorWriter::CsvFile {
    std::ofstream out;
};

namespace {
void nc_ok(int status, const std::string& file, const std::string& what) {
    if (status != NC_NOERR) throw std::runtime_error(file + ": " + what + ": " + nc_strerror(status) + storage_hint(file));
}

// A CSV stream that failed to write (a full disk, a file-size limit) stops the run.
void csv_ok(const std::ofstream& out, const std::string& file) {
    if (!out) throw std::runtime_error(file + ": writing failed" + storage_hint(file));
}
}  // namespace

ReceptorWriter::ReceptorWriter(const std::string& output_file, const std::vector<Receptor>& receptors,
                               std::vector<SeriesVariable> variables, const std::string& reference_time, const std::string& title)
    : nc_path_(receptor_file_for(output_file, ".nc")), csv_path_(receptor_file_for(output_file, ".csv")),
      variables_(std::move(variables)), receptors_(receptors), reference_epoch_s_(parse_iso_time_utc(reference_time)) {
    const std::string partial = nc_path_ + ".partial";
    nc_ok(nc_create(partial.c_str(), NC_NETCDF4 | NC_CLOBBER, &ncid_), partial, "creating file");
    std::size_t strlen = 1;
    for (const auto& r : receptors_) strlen = std::max(strlen, r.name.size());
    int d_station = -1, d_time = -1, d_str = -1;
    nc_ok(nc_def_dim(ncid_, "station", receptors_.size(), &d_station), partial, "station");
    nc_ok(nc_def_dim(ncid_, "time", NC_UNLIMITED, &d_time), partial, "time");
    nc_ok(nc_def_dim(ncid_, "name_strlen", strlen, &d_str), partial, "name_strlen");
    auto text = [&](int var, const std::string& name, const std::string& value) {
        nc_ok(nc_put_att_text(ncid_, var, name.c_str(), value.size(), value.c_str()), partial, name);
    };
    nc_ok(nc_def_var(ncid_, "time", NC_DOUBLE, 1, &d_time, &time_var_), partial, "time");
    text(time_var_, "standard_name", "time");
    text(time_var_, "units", "hours since " + reference_time);
    text(time_var_, "calendar", "standard");
    int v_name = -1, v_lat = -1, v_lon = -1, v_kind = -1, v_radius = -1;
    const int dims_name[2] = {d_station, d_str};
    nc_ok(nc_def_var(ncid_, "station_name", NC_CHAR, 2, dims_name, &v_name), partial, "station_name");
    text(v_name, "cf_role", "timeseries_id");
    text(v_name, "long_name", "receptor name");
    nc_ok(nc_def_var(ncid_, "lat", NC_DOUBLE, 1, &d_station, &v_lat), partial, "lat");
    text(v_lat, "standard_name", "latitude");
    text(v_lat, "units", "degrees_north");
    nc_ok(nc_def_var(ncid_, "lon", NC_DOUBLE, 1, &d_station, &v_lon), partial, "lon");
    text(v_lon, "standard_name", "longitude");
    text(v_lon, "units", "degrees_east");
    nc_ok(nc_def_var(ncid_, "receptor_kind", NC_INT, 1, &d_station, &v_kind), partial, "receptor_kind");
    text(v_kind, "long_name", "kind of receptor");
    const int kinds[2] = {0, 1};
    nc_ok(nc_put_att_int(ncid_, v_kind, "flag_values", NC_INT, 2, kinds), partial, "flag_values");
    text(v_kind, "flag_meanings", "station city");
    nc_ok(nc_def_var(ncid_, "city_radius", NC_DOUBLE, 1, &d_station, &v_radius), partial, "city_radius");
    text(v_radius, "long_name", "radius of a circular city (0 for stations and polygon cities)");
    text(v_radius, "units", "km");
    const int dims[2] = {d_station, d_time};
    for (const auto& v : variables_) {
        int id = -1;
        nc_ok(nc_def_var(ncid_, v.name.c_str(), NC_DOUBLE, 2, dims, &id), partial, v.name);
        text(id, "long_name", v.long_name);
        text(id, "units", v.units);
        if (!v.standard_name.empty()) text(id, "standard_name", v.standard_name);
        text(id, "coordinates", "time lat lon station_name");
        vars_.push_back(id);
    }
    text(NC_GLOBAL, "Conventions", "CF-1.10");
    text(NC_GLOBAL, "featureType", "timeSeries");
    text(NC_GLOBAL, "title", title + ": receptor series");
    text(NC_GLOBAL, "lantian_status", "in progress");
    nc_ok(nc_enddef(ncid_), partial, "leaving define mode");
    for (std::size_t r = 0; r < receptors_.size(); ++r) {
        const std::size_t st[2] = {r, 0}, ct[2] = {1, receptors_[r].name.size()};
        nc_ok(nc_put_vara_text(ncid_, v_name, st, ct, receptors_[r].name.c_str()), partial, "station_name");
        const std::size_t at[1] = {r};
        const int kind = receptors_[r].kind == Receptor::Kind::city ? 1 : 0;
        nc_ok(nc_put_var1_double(ncid_, v_lat, at, &receptors_[r].lat), partial, "lat");
        nc_ok(nc_put_var1_double(ncid_, v_lon, at, &receptors_[r].lon), partial, "lon");
        nc_ok(nc_put_var1_int(ncid_, v_kind, at, &kind), partial, "receptor_kind");
        nc_ok(nc_put_var1_double(ncid_, v_radius, at, &receptors_[r].radius_km), partial, "city_radius");
    }
    csv_ = new CsvFile;
    csv_->out.open(csv_path_ + ".partial");
    if (!csv_->out) throw std::runtime_error(csv_path_ + ".partial: cannot create file");
    csv_->out << "time_utc,hours,receptor,kind";
    for (const auto& v : variables_) csv_->out << "," << v.name;
    csv_->out << "\n";
    csv_->out << std::setprecision(6);
}

ReceptorWriter::~ReceptorWriter() {
    if (!closed_) {
        try {
            abandon();
        } catch (...) {
        }
    }
    delete csv_;
}

void ReceptorWriter::write(double hours, const std::vector<std::vector<double>>& values) {
    const std::string partial = nc_path_ + ".partial";
    const std::size_t t = records_++;
    nc_ok(nc_put_var1_double(ncid_, time_var_, &t, &hours), partial, "time");
    for (std::size_t v = 0; v < vars_.size(); ++v)
        for (std::size_t r = 0; r < receptors_.size(); ++r) {
            const std::size_t at[2] = {r, t};
            nc_ok(nc_put_var1_double(ncid_, vars_[v], at, &values[v][r]), partial, variables_[v].name);
        }
    nc_ok(nc_sync(ncid_), partial, "sync");
    const std::string stamp = format_iso_time_utc(reference_epoch_s_ + hours * 3600.0);
    for (std::size_t r = 0; r < receptors_.size(); ++r) {
        csv_->out << stamp << "," << hours << "," << receptors_[r].name << ","
                  << (receptors_[r].kind == Receptor::Kind::city ? "city" : "station");
        for (std::size_t v = 0; v < vars_.size(); ++v) csv_->out << "," << values[v][r];
        csv_->out << "\n";
    }
    csv_->out.flush();
    csv_ok(csv_->out, csv_path_ + ".partial");
}

void ReceptorWriter::resume_from(const std::string& old_nc, const std::string& old_csv, int records) {
    if (records <= 0) return;
    const std::string partial = nc_path_ + ".partial";
    int oid = -1;
    nc_ok(nc_open(old_nc.c_str(), NC_NOWRITE, &oid), old_nc, "opening the series to continue");
    const std::size_t nst = receptors_.size(), nrec = static_cast<std::size_t>(records);
    {
        int vid = -1;
        std::vector<double> t(nrec);
        const std::size_t start = 0;
        nc_ok(nc_inq_varid(oid, "time", &vid), old_nc, "time");
        nc_ok(nc_get_vara_double(oid, vid, &start, &nrec, t.data()), old_nc, "reading time");
        nc_ok(nc_put_vara_double(ncid_, time_var_, &start, &nrec, t.data()), partial, "copying time");
    }
    for (std::size_t v = 0; v < vars_.size(); ++v) {
        int vid = -1;
        nc_ok(nc_inq_varid(oid, variables_[v].name.c_str(), &vid), old_nc, "variable " + variables_[v].name);
        std::vector<double> buf(nst * nrec);
        const std::size_t start[2] = {0, 0}, count[2] = {nst, nrec};
        nc_ok(nc_get_vara_double(oid, vid, start, count, buf.data()), old_nc, "reading " + variables_[v].name);
        nc_ok(nc_put_vara_double(ncid_, vars_[v], start, count, buf.data()), partial, "copying " + variables_[v].name);
    }
    nc_close(oid);
    records_ = nrec;
    nc_ok(nc_sync(ncid_), partial, "sync");
    std::ifstream in(old_csv);
    if (!in) throw std::runtime_error(old_csv + ": cannot read the series to continue");
    std::string line;
    std::getline(in, line);  // header (the new file has its own)
    for (std::size_t n = 0; n < nrec * nst; ++n) {
        if (!std::getline(in, line)) throw std::runtime_error(old_csv + ": fewer records than the checkpoint says");
        csv_->out << line << "\n";
    }
    csv_->out.flush();
    csv_ok(csv_->out, csv_path_ + ".partial");
}

void ReceptorWriter::finish() {
    const std::string partial = nc_path_ + ".partial";
    const std::string done = "complete";
    nc_ok(nc_put_att_text(ncid_, NC_GLOBAL, "lantian_status", done.size(), done.c_str()), partial, "status");
    nc_ok(nc_close(ncid_), partial, "closing");
    closed_ = true;
    if (std::rename(partial.c_str(), nc_path_.c_str()) != 0) throw std::runtime_error(partial + ": cannot rename");
    csv_->out.close();
    csv_ok(csv_->out, csv_path_ + ".partial");
    if (std::rename((csv_path_ + ".partial").c_str(), csv_path_.c_str()) != 0)
        throw std::runtime_error(csv_path_ + ".partial: cannot rename");
}

void ReceptorWriter::abandon() {
    if (closed_) return;
    closed_ = true;
    const std::string partial = nc_path_ + ".partial";
    const std::string status = "incomplete";
    nc_put_att_text(ncid_, NC_GLOBAL, "lantian_status", status.size(), status.c_str());
    nc_close(ncid_);
    std::rename(partial.c_str(), (strip_nc_suffix(nc_path_) + ".incomplete.nc").c_str());
    csv_->out.close();
    std::rename((csv_path_ + ".partial").c_str(), (csv_path_.substr(0, csv_path_.size() - 4) + ".incomplete.csv").c_str());
}

}  // namespace lantian
