// Reads INI text plus command-line overrides into the typed Config, validates it, and writes it
// back out (INI for --print-config and output files, Markdown for docs/config.md). One key table
// drives all four. Must not build grids or read data files beyond checking that named files exist.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace lantian {

// Where each key's value came from, so errors can say "cfg.ini:12: grid.nx = 2: ...".
struct KeyLines {
    std::string file;                       // label of the INI file ("" = built-in defaults)
    std::map<std::string, int> file_line;   // "section.key" -> 1-based line in the file
    std::set<std::string> command_line;     // keys set by a section.key=value override (these win)
    bool check_files = true;                // false: named files need not exist (re-reading a run's stored config)

    // "cfg.ini:12: ", "command line: ", "cfg.ini: " (key not in the file) or "" (no file).
    std::string prefix(const std::string& key) const;
};

// The configuration stored in a run's output (lantian_config): parsed and validated, except that
// the data files it names need not exist any more.
Config load_stored_config(const std::string& ini_text, const std::string& name_for_messages);

// Reads ini_path ("" = defaults only), applies overrides "section.key=value" (they beat the file;
// the last of repeated overrides wins), validates, and sets Config::source_file = ini_path.
// Throws ConfigError "<file>:<line>: <section.key> = <value>: <reason; what is allowed>".
Config load_config(const std::string& ini_path, const std::vector<std::string>& overrides = {});

// The same from INI text; name_for_messages labels errors and becomes Config::source_file
// (relative paths in the config resolve against its folder).
Config load_config_text(const std::string& ini_text, const std::string& name_for_messages,
                        const std::vector<std::string>& overrides = {});

// The one validator: ranges from the key table, then the rules that join keys (layer faces,
// Lambert true latitudes, output interval vs run length, species maps vs names, files exist).
void validate(const Config& config, const KeyLines& where = {});

// A path from the config, made absolute against the folder of Config::source_file ("" stays "";
// absolute paths are kept).
std::string resolve_path(const Config& config, const std::string& path);

// Every key with its current value, "[section]" then "key = value" lines, sections in table order.
// load_config_text(to_ini(c), ...) reproduces the same text.
std::string to_ini(const Config& config);
// The grid.projection name of a projection ("lambert", "polar_stereographic", ...), from the key table.
std::string projection_name(Projection p);

// Markdown reference: per section a table | key | default | unit | meaning |.
std::string config_reference_markdown();

// All keys, "section.key", in table order.
std::vector<std::string> config_keys();

// Enum names as written in the INI file.
std::string_view to_string(Projection value);
std::string_view to_string(MetKind value);
std::string_view to_string(kernels::Reconstruction value);  // transport.advection
std::string_view to_string(HorizontalDiffusion value);
std::string_view to_string(KzMode value);
std::string_view to_string(BoundaryKind value);
std::string_view to_string(PlumeRise value);
std::string_view to_string(TagKind value);
std::string_view to_string(DailyMode value);
std::string_view to_string(LandClass value);
std::string_view to_string(DepositionSeason value);
std::string_view to_string(BoundarySeason value);

}  // namespace lantian
