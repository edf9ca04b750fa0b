// Checkpoint and restart of a Simulation: what the run loop hands to the checkpoint file (state,
// ledger by term name, clock, counters) and how a restart takes it back, refusing a checkpoint of
// another configuration, grid or set of ledger terms with the reason.
#include <sstream>

#include "config/config_parser.hpp"
#include "output/file_names.hpp"
#include "output/io_thread.hpp"
#include "simulation/checkpoint.hpp"
#include "simulation/simulation.hpp"

namespace lantian {

namespace {
constexpr double kTimeEpsilonS = 1e-6;  // s

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
    return out.empty() ? "(none)" : out;
}
}  // namespace

std::string Simulation::checkpoint_file() const {
    if (!cfg_.checkpoint.file.empty()) return cfg_.checkpoint.file;
    return strip_nc_suffix(cfg_.output.file) + ".checkpoint.h5";
}

void Simulation::write_checkpoint(const RunSummary& summary) {
    // The full state on the group's first rank, which writes.
    par_.gather(state_, 0);
    if (par_.rank() != 0) return;
    Checkpoint c;
    c.version = LANTIAN_VERSION;
    c.config_text = checkpoint_config_text(cfg_);
    c.config_hash = config_hash(c.config_text);
    c.nx = grid_.nx();
    c.ny = grid_.ny();
    c.nz = grid_.nz();
    c.nspec = state_.nspec;
    c.t_s = t_s_;
    c.plume_t_s = plume_t_s_;
    c.last_mid_t_s = last_mid_t_s_;
    c.step_index = step_index_;
    c.steps = summary.steps;
    c.min_dt_s = summary.min_dt_s;
    c.max_dt_s = summary.max_dt_s;
    c.records = summary.records;
    c.air_mass_kg.assign(state_.air_mass_kg.begin(), state_.air_mass_kg.end());
    c.q.assign(state_.q.begin(), state_.q.end());
    c.ledger_words = ledger_.word_names();
    for (int s = 0; s < state_.nspec; ++s) {
        const std::vector<double> w = ledger_.words(s);
        c.ledger.insert(c.ledger.end(), w.begin(), w.end());
    }
    // HDF5, like netCDF, is called on the I/O thread (after the records queued before it).
    io_thread().run_sync([&] { lantian::write_checkpoint(checkpoint_file(), c); });
    checkpoint_path_ = checkpoint_file();
    checkpoint_t_s_ = t_s_;
}

std::string Simulation::kept_after_failure(const std::string& output_path, double closed_at_s) const {
    std::ostringstream m;
    m << "the output was closed at hour " << closed_at_s / 3600.0 << " and kept as " << output_path
      << " (marked incomplete; no file has the final name)";
    if (checkpoint_path_.empty())
        m << "; no checkpoint had been written yet (checkpoint.interval_h), so a rerun starts from the beginning";
    else
        m << "; the last checkpoint, " << checkpoint_path_ << " at hour " << checkpoint_t_s_ / 3600.0
          << ", continues the run: lantian run CONFIG --restart " << checkpoint_path_;
    return m.str();
}

void Simulation::restart_from(const std::string& file) {
    const Checkpoint c = read_checkpoint(file);
    const std::string text = checkpoint_config_text(cfg_);
    if (c.config_hash != config_hash(text)) {
        // Name the first lines that differ.
        std::istringstream a(c.config_text), b(text);
        std::string la, lb, diff;
        int shown = 0;
        while (shown < 3 && (std::getline(a, la) ? 1 : (la.clear(), 0)) + (std::getline(b, lb) ? 1 : (lb.clear(), 0)) > 0) {
            if (la != lb) {
                diff += "\n  checkpoint: " + (la.empty() ? std::string("(nothing)") : la) + "\n  this run:   " +
                        (lb.empty() ? std::string("(nothing)") : lb);
                ++shown;
            }
        }
        throw ConfigError("checkpoint " + file + " was written for another configuration (config hash " + c.config_hash +
                          ", this run " + config_hash(text) + "); only run.hours, run.log_interval_h, [parallel] and "
                          "[checkpoint] may change on restart. First differences:" + diff);
    }
    // The ledger is stored by term name: the same terms in the same order, or a refusal that says why.
    const std::vector<std::string> words = ledger_.word_names();
    if (c.ledger_words != words) {
        std::vector<std::string> missing, extra;
        for (const auto& w : words)
            if (std::find(c.ledger_words.begin(), c.ledger_words.end(), w) == c.ledger_words.end()) missing.push_back(w);
        for (const auto& w : c.ledger_words)
            if (std::find(words.begin(), words.end(), w) == words.end()) extra.push_back(w);
        throw ConfigError("checkpoint " + file + ": its mass ledger holds the terms [" + joined(c.ledger_words) +
                          "] but this run books [" + joined(words) + "] (missing from the checkpoint: " + joined(missing) +
                          "; not booked by this run: " + joined(extra) +
                          "): the processes differ, so the books cannot be continued; rerun from the start");
    }
    if (c.nx != grid_.nx() || c.ny != grid_.ny() || c.nz != grid_.nz() || c.nspec != state_.nspec ||
        c.ledger.size() != words.size() * static_cast<std::size_t>(state_.nspec))
        throw ConfigError("checkpoint " + file + ": its grid or tracers do not match this run");
    if (c.t_s > cfg_.run.hours * 3600.0 + kTimeEpsilonS)
        throw ConfigError("checkpoint " + file + " is at hour " + std::to_string(c.t_s / 3600.0) + ", after the end of this run (run.hours = " +
                          std::to_string(cfg_.run.hours) + ")");
    state_.air_mass_kg.assign(c.air_mass_kg.begin(), c.air_mass_kg.end());
    state_.air_mass_rev = 0;
    for (std::size_t n = 0; n < c.q.size(); ++n) state_.q[n] = static_cast<real>(c.q[n]);
    for (int s = 0; s < state_.nspec; ++s) ledger_.set_words(s, c.ledger.data() + s * words.size());
    t_s_ = c.t_s;
    step_index_ = c.step_index;
    plume_t_s_ = c.plume_t_s;
    last_mid_t_s_ = c.last_mid_t_s;
    restart_summary_.steps = c.steps;
    restart_summary_.min_dt_s = c.min_dt_s;
    restart_summary_.max_dt_s = c.max_dt_s;
    restart_summary_.records = c.records;
    restarted_ = true;
    checkpoint_path_ = file;
    checkpoint_t_s_ = c.t_s;
    // The plume rise in force and the weather that sets the next step's length, as they were.
    if (plume_t_s_ >= 0) {
        MetState plume_met;
        plume_met.resize(grid_);
        timeline_.interpolate(plume_t_s_, plume_met);
        emissions_->update_weather(plume_met);
        met_index_ = timeline_.snapshot_index(plume_t_s_);
    }
}

}  // namespace lantian
