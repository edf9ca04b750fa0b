// The run's output files; see the header.
#include "simulation/run_output.hpp"

#include <netcdf.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <stdexcept>

#include "chemistry/photochemical_mechanism.hpp"
#include "config/config_parser.hpp"
#include "output/file_names.hpp"
#include "output/io_thread.hpp"
#include "config/time_utils.hpp"
#include "output/netcdf_writer.hpp"
#include "output/netcdf_reader.hpp"
#include "output/output_grid.hpp"
#include "output/receptors.hpp"

namespace lantian {

static_assert(kDiagnosticFill == NC_FILL_FLOAT, "a diagnostic's missing value must be the writer's _FillValue");

namespace {
// The output a checkpoint's records are in: still open (.partial), stopped (.incomplete.nc/.csv) or
// a finished shorter run (the final name). An open .partial is renamed to .incomplete first: the
// new run's writer creates a fresh .partial.
std::string previous_output(const std::string& path) {
    namespace fs = std::filesystem;
    const std::string ext = path.substr(path.find_last_of('.'));
    const std::string stem = path.substr(0, path.size() - ext.size());
    if (fs::exists(path + ".partial")) fs::rename(path + ".partial", stem + ".incomplete" + ext);
    for (const std::string& p : {stem + ".incomplete" + ext, path})
        if (fs::exists(p)) return p;
    throw ConfigError("restart: the output written before the checkpoint is gone: none of " + path + ".partial, " + stem +
                      ".incomplete" + ext + ", " + path + " exists");
}
}  // namespace

// One output time's fields, as the writers take them (the copy the I/O thread writes).
struct RunOutput::Record {
    double t_h = 0;        // hours since the start
    bool state = false;    // with a record of the state file
    std::vector<std::vector<float>> state_surface, state_volume;
    struct Scenario {
        std::vector<std::vector<float>> surface, volume;  // the gridded file's fields
        std::vector<std::vector<double>> series;         // per series variable, per receptor
    };
    std::vector<Scenario> scenarios;
};

template <class F>
auto RunOutput::on_io(F f) -> decltype(f()) {
    if (collective_) {
        io_thread().drain();
        return f();
    }
    return io_thread().run_sync(std::move(f));
}

std::vector<double> concentration_ug_m3(const Grid& grid, const State& state, int s, int k) {
    const std::size_t plane = grid.columns();
    std::vector<double> out(plane);
    const real* q = state.species(s);
    for (std::size_t col = 0; col < plane; ++col) {
        const std::size_t cell = k * plane + col;
        out[col] = q[cell] * state.air_mass_kg[cell] / (grid.area_m2()[col] * grid.dz()[k]);
    }
    return out;
}

std::vector<std::string> written_species(const Config& cfg, const std::vector<std::string>& species) {
    if (!cfg.output.species.empty()) return cfg.output.species;
    if (cfg.chemistry.mechanism == ChemistryMechanism::linear) return species;
    // Photochemical default: what stations measure and what explains O3, plus every species of
    // species.names (particles, NH3).
    std::vector<std::string> out = {"O3", "NO", "NO2", "SO2", "CO", "HNO3", "PAN", "H2O2", "FORM", "HONO", "ISOP", "TERP"};
    const chem::Mechanism mech = load_mechanism(cfg);
    for (const auto& n : species)
        if (mech.find_species(n) < 0 && std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
    std::erase_if(out, [&](const std::string& n) { return std::find(species.begin(), species.end(), n) == species.end(); });
    return out;
}

std::string scenario_file(const Config& cfg, const TracerLayout& layout, int k) {
    if (layout.scenarios[k] == "base") return cfg.output.file;
    return strip_nc_suffix(cfg.output.file) + "_" + layout.scenarios[k] + ".nc";
}

RunOutput::RunOutput(const Config& cfg, const Grid& grid, const TracerLayout& layout, const SpeciesPropertiesTable& props,
                     const Parallel& par, bool output, double start_epoch_s)
    : cfg_(cfg), grid_(grid), layout_(layout), par_(par), start_epoch_s_(start_epoch_s), output_(output),
      species_(species_table(layout.species)) {
    // One rank of a decomposed run writes: the blocks are gathered to it at every record.
    // parallel.io = collective: every rank writes its block of the gridded files (MPI-IO); the
    // receptor series are always written by the first rank.
    collective_ = output && par.split() && cfg.parallel.io == ParallelIo::collective;
    writer_ = output && (par.rank() == 0 || collective_);
    series_writer_ = output && par.rank() == 0;
    for (const auto& n : layout.species) {
        const SpeciesProperties* p = props.find(n);
        pm25_fraction_.push_back(p ? p->pm25_fraction : 0.0);
        pm10_fraction_.push_back(p ? p->pm10_fraction : 0.0);
        has_pm_ = has_pm_ || (p && p->pm10_fraction > 0);
    }
    std::vector<Receptor> receptors = parse_receptors(cfg.receptors);
    if (!receptors.empty()) sampler_ = std::make_unique<ReceptorSampler>(grid, std::move(receptors));
    // The species written (output.species; photochemical runs default to the observed gases and the
    // key intermediates, not every radical and lumped VOC): others leave the gridded and series output.
    const std::vector<std::string> written = written_species(cfg, layout.species);
    for (int k = 0; k < layout.nscenarios(); ++k) {
        // The aerosol diagnostics are one field per cell, the first scenario's (state/state.hpp).
        auto vars = output_catalogue(species_, has_pm_, k == 0 ? layout.tags : std::vector<std::string>{},
                                     k == 0 && cfg.output.aerosol_diagnostics);
        std::erase_if(vars, [&](const OutputVariable& v) {
            return (v.source == OutputSource::species || v.source == OutputSource::tag_species) && v.species >= 0 &&
                   std::find(written.begin(), written.end(), layout.species[static_cast<std::size_t>(v.species)]) == written.end();
        });
        // Tags of a subset of species (tags.species): no tag series of an untagged species, and no
        // PM25_total__TAG unless every species of PM2.5 is tagged (the tags would not add up to PM25_total).
        bool pm25_tagged = true;
        for (int s = 0; s < layout.nphys(); ++s)
            if (pm25_fraction_[static_cast<std::size_t>(s)] > 0 && !layout.is_tagged(s)) pm25_tagged = false;
        std::erase_if(vars, [&](const OutputVariable& v) {
            return (v.source == OutputSource::tag_species && !layout.is_tagged(v.species)) ||
                   (v.source == OutputSource::tag_pm25 && !pm25_tagged);
        });
        variables_.push_back(std::move(vars));
    }
}

RunOutput::~RunOutput() {
    if (!writer_) return;
    for (auto& f : in_flight_) f.wait();
    // The writers close their files where netCDF may be called (a writer not finished marks its
    // file incomplete).
    try {
        on_io([&] {
            writers_.clear();
            receptor_writers_.clear();
            state_writer_.reset();
        });
    } catch (...) {
        // A destructor must not throw; the files keep their .partial names.
    }
}

// The mean of the O3 records in (t − 8 h, t] at each receptor, NaN until they cover 6 h (records
// × interval; GB 3095-2012 Table 4: an 8-h mean needs 6 of its 8 hourly values).
std::vector<double> RunOutput::o3_running_mean(std::deque<std::pair<double, std::vector<double>>>& recent, double t_h,
                                               std::vector<double> o3_now) const {
    recent.emplace_back(t_h, std::move(o3_now));
    while (!recent.empty() && recent.front().first <= t_h - kO3RunningWindowH + 1e-6) recent.pop_front();
    const std::size_t nr = recent.back().second.size();
    std::vector<double> mean(nr, std::nan(""));
    if (static_cast<double>(recent.size()) * cfg_.output.interval_h < kO3RunningMinCoverH - 1e-6) return mean;
    for (std::size_t r = 0; r < nr; ++r) {
        double sum = 0;
        for (const auto& rec : recent) sum += rec.second[r];
        mean[r] = sum / static_cast<double>(recent.size());
    }
    return mean;
}

void RunOutput::open(const std::string& command_line, int resume_records, const std::vector<double>& terrain_m) {
    const int nscen = layout_.nscenarios();
    writers_.resize(nscen);
    receptor_writers_.resize(nscen);
    resume_sources_.assign(nscen, {});
    o3_recent_.assign(nscen, {});
    o3_field_recent_.assign(nscen, {});
    if (!writer_) return;
    on_io([&] { open_files(command_line, resume_records, terrain_m); });
}

void RunOutput::open_files(const std::string& command_line, int resume_records, const std::vector<double>& terrain_m) {
    const int nscen = layout_.nscenarios();
    // A restart continues the output files of the run that wrote the checkpoint (found and renamed
    // by the first rank, then looked up by the others).
    const bool restarted = resume_records >= 0;
    auto find_sources = [&] {
        for (int k = 0; k < nscen; ++k) {
            const std::string file = scenario_file(cfg_, layout_, k);
            resume_sources_[k][0] = previous_output(file);
            if (sampler_ && series_writer_) {
                resume_sources_[k][1] = previous_output(receptor_file_for(file, ".nc"));
                resume_sources_[k][2] = previous_output(receptor_file_for(file, ".csv"));
            }
        }
    };
    if (restarted) {
        if (par_.rank() == 0) find_sources();
        if (collective_) par_.comm().barrier();
        if (par_.rank() != 0) find_sources();
    }
    {
        const std::time_t now = std::time(nullptr);
        char stamp[32];
        std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
        open_state_file(std::string(stamp) + " " + (command_line.empty() ? "lantian run" : command_line), restarted,
                        resume_records);
    }
    for (int k = 0; k < nscen; ++k) {
        const std::string& name = layout_.scenarios[k];
        OutputMetadata meta;
        meta.title = cfg_.run.title + (name == "base" ? "" : " [scenario " + name + "]");
        meta.reference_time = format_iso_time_utc(start_epoch_s_);
        meta.config_text = to_ini(cfg_);
        const std::time_t now = std::time(nullptr);
        char stamp[32];
        std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
        meta.history = std::string(stamp) + " " + (command_line.empty() ? "lantian run" : command_line);
        meta.extra_attributes["lantian_surface_layer_top_m"] = std::to_string(grid_.z_face()[1]);
        meta.extra_attributes["lantian_wind_note"] = "u10/v10 and all winds are grid-relative";
        meta.extra_attributes["lantian_scenario"] = name;
        {
            std::error_code error;
            const auto dir = std::filesystem::absolute(std::filesystem::path(cfg_.source_file).parent_path(), error);
            meta.extra_attributes["lantian_config_dir"] = error ? std::string(".") : dir.string();
        }
        if (name != "base")
            meta.extra_attributes["lantian_scenario_definition"] =
                cfg_.scenarios.runs[static_cast<std::size_t>(k - (cfg_.scenarios.base ? 1 : 0))];
        const std::string file = scenario_file(cfg_, layout_, k);
        if (k == 0 && !layout_.tags.empty()) meta.extra_attributes["lantian_tags"] = to_string(cfg_.tags.by).data();
        std::vector<OutputField> fields;
        std::vector<SeriesVariable> series;
        OutputGrid out_grid = output_grid(grid_);
        for (const OutputVariable& v : variables_[k]) {
            if (v.gridded) fields.push_back({v.name, v.long_name, v.standard_name, v.units, v.volume, v.missing});
            if (v.series) series.push_back({v.name, v.series_long_name, v.units, v.standard_name});
            if (v.source == OutputSource::met_terrain) {
                MapField terrain;
                terrain.name = v.name;
                terrain.long_name = v.long_name;
                terrain.units = v.units;
                terrain.standard_name = v.standard_name;
                terrain.values = terrain_m;
                out_grid.static_fields.push_back(std::move(terrain));
            }
        }
        if (sampler_) {
            if (series_writer_)
                receptor_writers_[k] =
                    std::make_unique<ReceptorWriter>(file, sampler_->receptors(), series, meta.reference_time, meta.title);
            const std::string nc = receptor_file_for(file, ".nc");
            meta.extra_attributes["lantian_receptors_file"] = nc.substr(nc.find_last_of('/') + 1);
        }
        writers_[k] = std::make_unique<NetcdfWriter>(file, out_grid, fields, meta, cfg_.output.fields_3d,
                                                     cfg_.output.deflate_level, collective_ ? &par_ : nullptr);
        if (restarted) {
            writers_[k]->resume_from(resume_sources_[k][0], resume_records);
            if (receptor_writers_[k])
                receptor_writers_[k]->resume_from(resume_sources_[k][1], resume_sources_[k][2], resume_records);
            bool running_o3 = false;
            for (const OutputVariable& v : variables_[k]) running_o3 = running_o3 || v.source == OutputSource::o3_8h;
            if (running_o3 && resume_records > 0) {
                // The O3 fields of the last 8 h before the checkpoint, from the stopped run's gridded
                // file (the float values written, which the history holds too).
                const NcReader old(resume_sources_[k][0], "cannot open the output to continue");
                const std::size_t nt = old.dim("time"), plane = grid_.columns();
                const std::size_t nrec = static_cast<std::size_t>(resume_records);
                if (nt < nrec) throw ConfigError(resume_sources_[k][0] + ": fewer records than the checkpoint says");
                const std::vector<double> times = old.doubles("time", nt);
                const int var = old.var(kOzoneSpecies);
                for (std::size_t t = 0; t < nrec; ++t) {
                    if (times[t] <= times[nrec - 1] - kO3RunningWindowH + 1e-6) continue;
                    std::vector<double> field(plane);
                    const std::size_t start[3] = {t, 0, 0};
                    const std::size_t count[3] = {1, static_cast<std::size_t>(grid_.ny()), static_cast<std::size_t>(grid_.nx())};
                    old.check(nc_get_vara_double(old.id(), var, start, count, field.data()), std::string("reading ") + kOzoneSpecies);
                    o3_field_recent_[k].emplace_back(times[t], std::move(field));
                }
            }
            if (receptor_writers_[k] && running_o3 && resume_records > 0) {
                // The O3 records of the last 8 h before the checkpoint, from the stopped run's series
                // (doubles, as written), so that O3_8h continues as if the run had not stopped.
                const NcReader old(resume_sources_[k][1], "cannot open the series to continue");
                const std::size_t nst = sampler_->receptors().size(), nt = old.dim("time");
                const std::size_t nrec = static_cast<std::size_t>(resume_records);
                if (nt < nrec) throw ConfigError(resume_sources_[k][1] + ": fewer records than the checkpoint says");
                const std::vector<double> times = old.doubles("time", nt);
                const std::vector<double> o3 = old.doubles(kOzoneSpecies, nst * nt);
                for (std::size_t t = 0; t < nrec; ++t) {
                    if (times[t] <= times[nrec - 1] - kO3RunningWindowH + 1e-6) continue;
                    std::vector<double> at(nst);
                    for (std::size_t r = 0; r < nst; ++r) at[r] = o3[r * nt + t];
                    o3_recent_[k].emplace_back(times[t], std::move(at));
                }
            }
        }
    }
}

// The state file: every physical species of the first block (the base case when it runs) as
// NAME_3d in µg m-3 (no output scale: a warm start reads it back as it is), plus the lowest layer
// as NAME, in the layout of the gridded output. The grid's defining numbers go in global attributes
// so that a reader can rebuild and check it (the projection is also in the crs variable).
void RunOutput::open_state_file(const std::string& history, bool restarted, int resume_records) {
    if (cfg_.output.state_file.empty()) return;
    const std::string& file = cfg_.output.state_file;
    int resume_states = 0;
    if (restarted) {
        const double done_h = resume_records * cfg_.output.interval_h;
        for (double h : cfg_.output.state_hours) resume_states += h <= done_h + 1e-6 ? 1 : 0;
        if (par_.rank() == 0) state_resume_source_ = previous_output(file);
        if (collective_) par_.comm().barrier();
        if (par_.rank() != 0) state_resume_source_ = previous_output(file);
    }
    OutputMetadata meta;
    meta.title = cfg_.run.title + " [state for warm starts]";
    meta.reference_time = format_iso_time_utc(start_epoch_s_);
    meta.config_text = to_ini(cfg_);
    meta.history = history;
    const GridConfig& g = grid_.config();
    auto number = [](double v) {
        char text[40];
        std::snprintf(text, sizeof text, "%.17g", v);
        return std::string(text);
    };
    meta.extra_attributes["lantian_content"] = "state";
    meta.extra_attributes["lantian_scenario"] = layout_.scenarios[0];
    meta.extra_attributes["lantian_species"] = [&] {
        std::string all;
        for (const auto& n : layout_.species) all += (all.empty() ? "" : " ") + n;
        return all;
    }();
    meta.extra_attributes["lantian_grid_projection"] = projection_name(g.projection);
    meta.extra_attributes["lantian_grid_nx"] = std::to_string(grid_.nx());
    meta.extra_attributes["lantian_grid_ny"] = std::to_string(grid_.ny());
    meta.extra_attributes["lantian_grid_nz"] = std::to_string(grid_.nz());
    meta.extra_attributes["lantian_grid_dx"] = number(grid_.dx());  // m, or degrees for latlon
    meta.extra_attributes["lantian_grid_dy"] = number(grid_.dy());
    meta.extra_attributes["lantian_grid_center_lon"] = number(g.center_lon);
    meta.extra_attributes["lantian_grid_center_lat"] = number(g.center_lat);
    meta.extra_attributes["lantian_grid_stand_lon"] = number(g.stand_lon > 1e8 ? g.center_lon : g.stand_lon);
    meta.extra_attributes["lantian_grid_truelat1"] = number(g.truelat1);
    meta.extra_attributes["lantian_grid_truelat2"] = number(g.truelat2);
    std::vector<OutputField> fields;
    for (const auto& n : layout_.species)
        fields.push_back({n, "mass concentration of " + n, "", "ug m-3", true});
    // The air density, so that a nested domain can form mixing ratios q = c / ρ (docs/nesting.md).
    fields.push_back({"air_density", "air density", "air_density", "kg m-3", true});
    state_writer_ = std::make_unique<NetcdfWriter>(file, output_grid(grid_), fields, meta, true, cfg_.output.deflate_level,
                                                   collective_ ? &par_ : nullptr);
    if (restarted) state_writer_->resume_from(state_resume_source_, resume_states);
}

// The state file's fields at t_s into `record`; false when the state file has no record then.
bool RunOutput::state_fields(double t_s, const State& state, Record& record) const {
    if (!state_writer_) return false;
    const double t_h = t_s / 3600.0;
    if (std::none_of(cfg_.output.state_hours.begin(), cfg_.output.state_hours.end(),
                     [&](double h) { return std::fabs(h - t_h) < 1e-6; }))
        return false;
    std::vector<std::vector<float>>& surface = record.state_surface;
    std::vector<std::vector<float>>& volume = record.state_volume;
    for (int s = 0; s < layout_.nphys(); ++s) {
        const int tracer = layout_.tracer(0, s);
        const std::vector<double> lowest = concentration_ug_m3(grid_, state, tracer, 0);
        surface.emplace_back(lowest.begin(), lowest.end());
        std::vector<float>& out = volume.emplace_back();
        out.reserve(grid_.cells());
        for (int z = 0; z < grid_.nz(); ++z)
            for (double c : concentration_ug_m3(grid_, state, tracer, z)) out.push_back(static_cast<float>(c));
    }
    // ρ = m / (A Δz) (kg m-3) of the state's own air mass.
    std::vector<float>& rho = volume.emplace_back();
    rho.reserve(grid_.cells());
    const std::size_t plane = grid_.columns();
    for (int z = 0; z < grid_.nz(); ++z)
        for (std::size_t col = 0; col < plane; ++col)
            rho.push_back(static_cast<float>(state.air_mass_kg[z * plane + col] / (grid_.area_m2()[col] * grid_.dz()[z])));
    surface.emplace_back(rho.begin(), rho.begin() + static_cast<std::ptrdiff_t>(plane));
    return true;
}

void RunOutput::write_initial_state(const State& state) {
    if (!writer_) return;
    Record record;
    record.state = state_fields(0.0, state, record);
    if (record.state) hand_over(std::move(record));
}

// The writes of one record, in the order of the synchronous writer: state file, then per scenario
// the gridded file and its receptor series.
void RunOutput::put(const Record& record) {
    if (record.state) state_writer_->write_record(record.t_h, record.state_surface, record.state_volume);
    for (std::size_t k = 0; k < record.scenarios.size(); ++k) {
        const Record::Scenario& sc = record.scenarios[k];
        writers_[k]->write_record(record.t_h, sc.surface, sc.volume);
        if (receptor_writers_[k]) receptor_writers_[k]->write(record.t_h, sc.series);
    }
}

void RunOutput::take_oldest() {
    std::future<void> oldest = std::move(in_flight_.front());
    in_flight_.pop_front();
    oldest.get();  // rethrows the writer's exception
}

void RunOutput::hand_over(Record record) {
    if (collective_) {
        on_io([&] { put(record); });
        return;
    }
    while (in_flight_.size() >= kRecordsInFlight) take_oldest();
    in_flight_.push_back(io_thread().submit([this, record = std::move(record)] {
        if (write_failed_) return;  // after a failed record the files are not written to again
        try {
            put(record);
        } catch (...) {
            write_failed_ = true;
            failed_at_s_ = record.t_h * 3600.0;
            throw;
        }
    }));
}

void RunOutput::sync() {
    while (!in_flight_.empty()) take_oldest();
}

void RunOutput::write_record(double t_s, const State& state, const MetState& met) {
    if (!writer_) return;
    Record record;
    record.t_h = t_s / 3600.0;
    record.state = state_fields(t_s, state, record);
    record.scenarios.resize(static_cast<std::size_t>(layout_.nscenarios()));
    const std::size_t plane = grid_.columns();
    const int nphys = layout_.nphys();
    for (int k = 0; k < layout_.nscenarios(); ++k) {
        const bool series_on = sampler_ && receptor_writers_[k];
        // The lowest layer of every physical species of this scenario and of each tag (µg m-3).
        auto lowest = [&](int block) {
            std::vector<std::vector<double>> c(nphys);
            for (int s = 0; s < nphys; ++s)
                c[s] = layout_.tracer(block, s) >= 0 ? concentration_ug_m3(grid_, state, layout_.tracer(block, s), 0)
                                                     : std::vector<double>(plane, 0.0);  // not tagged (tags.species)
            return c;
        };
        const auto conc = lowest(k);
        std::vector<std::vector<std::vector<double>>> tag_conc(k == 0 ? layout_.tags.size() : 0);
        for (std::size_t g = 0; g < tag_conc.size(); ++g) tag_conc[g] = lowest(layout_.tag_block(static_cast<int>(g)));
        // Σ_s fraction_s c_s, in species order.
        auto weighted = [&](const std::vector<std::vector<double>>& c, const std::vector<double>& fraction) {
            std::vector<double> sum(plane, 0.0);
            for (int s = 0; s < nphys; ++s)
                for (std::size_t col = 0; col < plane; ++col) sum[col] += fraction[s] * c[s][col];
            return sum;
        };
        auto scaled = [&](const std::vector<double>& c, int s) {
            std::vector<double> v(c);
            for (double& x : v) x *= species_[s].output_scale;
            return v;
        };
        std::vector<std::vector<float>>& surface = record.scenarios[k].surface;
        std::vector<std::vector<float>>& volume = record.scenarios[k].volume;
        std::vector<std::vector<double>>& series = record.scenarios[k].series;
        for (const OutputVariable& v : variables_[k]) {
            std::vector<double> field;
            switch (v.source) {
            case OutputSource::o3_8h: {
                const std::vector<double> o3 = scaled(conc[v.species], v.species);
                if (series_on) series.push_back(o3_running_mean(o3_recent_[k], t_s / 3600.0, sampler_->sample(o3)));
                if (v.gridded) {
                    std::vector<double> written(o3.size());
                    for (std::size_t c = 0; c < o3.size(); ++c) written[c] = static_cast<float>(o3[c]);
                    const auto mean = o3_running_mean(o3_field_recent_[k], t_s / 3600.0, std::move(written));
                    // Not yet 6 h: the gridded file's _FillValue (readers mask it), not NaN.
                    std::vector<float>& out = surface.emplace_back(mean.size());
                    for (std::size_t c = 0; c < mean.size(); ++c)
                        out[c] = std::isfinite(mean[c]) ? static_cast<float>(mean[c]) : NC_FILL_FLOAT;
                    volume.emplace_back();
                }
                continue;
            }
            case OutputSource::diagnostic: {
                // The state's field as the chemistry left it at the record time (its own units; a
                // cell without a value holds kDiagnosticFill, the files' _FillValue).
                const real* d = state.diagnostic(v.diagnostic);
                if (!d)
                    throw std::logic_error("output variable " + v.name + ": the state has no diagnostic field '" +
                                           v.diagnostic + "' (State::add_diagnostic)");
                if (v.gridded) {
                    surface.emplace_back(d, d + plane);
                    std::vector<float>& out = volume.emplace_back();
                    if (v.volume && cfg_.output.fields_3d) out.assign(d, d + grid_.cells());
                }
                if (v.series && series_on) {
                    // Missing cells become NaN (the series' missing value), also in any mean over them.
                    std::vector<double> lowest(d, d + plane);
                    if (v.missing)
                        for (double& x : lowest)
                            if (x == static_cast<double>(kDiagnosticFill)) x = std::nan("");
                    series.push_back(v.own_cell ? sampler_->sample_own_cell(lowest) : sampler_->sample(lowest));
                }
                continue;
            }
            case OutputSource::species: field = scaled(conc[v.species], v.species); break;
            case OutputSource::pm25: field = weighted(conc, pm25_fraction_); break;
            case OutputSource::pm10: field = weighted(conc, pm10_fraction_); break;
            case OutputSource::met_pblh: field = met.pblh_m; break;
            case OutputSource::met_u10: field = met.u10_m_s; break;
            case OutputSource::met_v10: field = met.v10_m_s; break;
            case OutputSource::tag_species: field = scaled(tag_conc[v.tag][v.species], v.species); break;
            case OutputSource::tag_pm25: field = weighted(tag_conc[v.tag], pm25_fraction_); break;
            case OutputSource::budget:
            case OutputSource::met_terrain: continue;  // not a time record
            }
            if (v.gridded) {
                surface.emplace_back(field.begin(), field.end());
                volume.emplace_back();
                if (v.volume && cfg_.output.fields_3d) {
                    const double scale = species_[v.species].output_scale;
                    std::vector<float>& out = volume.back();
                    out.reserve(grid_.cells());
                    for (int z = 0; z < grid_.nz(); ++z)
                        for (double c : concentration_ug_m3(grid_, state, layout_.tracer(k, v.species), z))
                            out.push_back(static_cast<float>(c * scale));
                }
            }
            if (v.series && series_on) series.push_back(sampler_->sample(field));
        }
        if (!cfg_.output.fields_3d) volume.clear();
    }
    hand_over(std::move(record));
}

void RunOutput::finish(const Ledger& ledger) {
    if (!writer_) return;
    sync();
    on_io([&] { finish_files(ledger); });
}

void RunOutput::finish_files(const Ledger& ledger) {
    if (state_writer_) {
        state_writer_->finish();
        if (par_.rank() == 0 && state_resume_source_.find(".incomplete.") != std::string::npos)
            std::remove(state_resume_source_.c_str());
    }
    for (int k = 0; k < layout_.nscenarios(); ++k) {
        std::vector<BudgetRow> rows;
        for (int s = 0; s < layout_.nphys(); ++s) rows.push_back({layout_.species[s], ledger.values(layout_.tracer(k, s))});
        writers_[k]->write_budget(ledger.term_names(), rows);
        writers_[k]->finish();
        if (receptor_writers_[k]) receptor_writers_[k]->finish();
        // The stopped run's files are now part of this one.
        if (par_.rank() == 0)
            for (const std::string& old : resume_sources_[k])
                if (old.find(".incomplete.") != std::string::npos) std::remove(old.c_str());
    }
}

std::string RunOutput::abandon(const std::string& reason) {
    // The records in flight are written (or fail) first: the file is closed as incomplete either way.
    while (!in_flight_.empty()) {
        try {
            take_oldest();
        } catch (...) {
            // the failure that stopped the run, or one after it: the reason says what stopped it
        }
    }
    if (!writer_) return abandon_files(reason);
    return on_io([&] { return abandon_files(reason); });
}

std::string RunOutput::abandon_files(const std::string& reason) {
    for (auto& w : receptor_writers_)
        if (w) w->abandon();
    std::string first;
    for (auto& w : writers_)
        if (w) {
            const std::string path = w->abandon(reason);
            if (first.empty()) first = path;
        }
    if (state_writer_) state_writer_->abandon(reason);
    return first;
}

std::vector<PlannedFile> RunOutput::planned_files() const {
    std::vector<PlannedFile> files;
    if (!output_) return files;
    const double records = std::ceil(cfg_.run.hours / cfg_.output.interval_h - 1e-9);
    const double plane = static_cast<double>(grid_.columns()), cells = plane * grid_.nz();
    constexpr double kFloatBytes = 4, kDoubleBytes = 8, kCsvValueBytes = 12, kCsvRowBytes = 40;
    for (int k = 0; k < layout_.nscenarios(); ++k) {
        double per_record = 0, series = 0;
        for (const OutputVariable& v : variables_[k]) {
            if (v.gridded) per_record += plane * kFloatBytes;
            if (v.gridded && v.volume && cfg_.output.fields_3d) per_record += cells * kFloatBytes;
            if (v.series) ++series;
        }
        const std::string file = scenario_file(cfg_, layout_, k);
        // Coordinates (x, y, lat, lon and surface_altitude in double) and one record per output time.
        files.push_back({file, records * per_record + 5 * plane * kDoubleBytes, cfg_.output.deflate_level > 0});
        if (sampler_) {
            const double receptors = static_cast<double>(sampler_->receptors().size());
            files.push_back({receptor_file_for(file, ".nc"), records * receptors * series * kDoubleBytes, false});
            files.push_back({receptor_file_for(file, ".csv"), records * receptors * (kCsvRowBytes + series * kCsvValueBytes), false});
        }
    }
    if (!cfg_.output.state_file.empty()) {
        const double states = static_cast<double>(cfg_.output.state_hours.size());
        files.push_back({cfg_.output.state_file,
                         states * layout_.nphys() * (cells + plane) * kFloatBytes + 4 * plane * kDoubleBytes,
                         cfg_.output.deflate_level > 0});
    }
    return files;
}

std::string RunOutput::paths() const {
    if (!writer_) return "";
    std::string out = scenario_file(cfg_, layout_, 0);
    for (int k = 1; k < layout_.nscenarios(); ++k) out += " " + scenario_file(cfg_, layout_, k);
    if (!cfg_.output.state_file.empty()) out += " " + cfg_.output.state_file;
    return out;
}

}  // namespace lantian
