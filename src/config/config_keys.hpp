// Inside src/config only: the key table's interface shared by the table (config_keys.cpp) and the
// reader and validator (config_parser.cpp). Other code uses config_parser.hpp.
#pragma once

#include <cctype>
#include <functional>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "config/config.hpp"

namespace lantian::key_table_detail {

inline bool is_blank(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
std::string trim(const std::string& text);
std::string join(const std::vector<std::string>& items, const std::string& separator);
// Items separated by commas and/or white space; empty items are skipped.
std::vector<std::string> split_list(const std::string& text);
// Shortest text that reads back as the same double.
std::string format_number(double value);

inline constexpr double unbounded = std::numeric_limits<double>::infinity();

// A value that does not parse as its key's type; the caller adds file, line, key and value.
class BadValue : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// An interval every number of a key must lie in, plus an optional sentinel that is also allowed.
struct Range {
    double lo = -unbounded;
    double hi = unbounded;
    bool lo_open = false;
    bool hi_open = false;
    std::optional<double> sentinel;

    Range at_most(double value) const {
        Range r = *this;
        r.hi = value;
        r.hi_open = false;
        return r;
    }
    Range below(double value) const {
        Range r = *this;
        r.hi = value;
        r.hi_open = true;
        return r;
    }
    Range or_exactly(double value) const {
        Range r = *this;
        r.sentinel = value;
        return r;
    }
    bool contains(double value) const {
        if (sentinel && value == *sentinel) return true;
        const bool above_lo = lo_open ? value > lo : value >= lo;
        const bool below_hi = hi_open ? value < hi : value <= hi;
        return above_lo && below_hi;
    }
    // "must be >= 4 and <= 20000"
    std::string describe() const {
        std::vector<std::string> parts;
        if (std::isfinite(lo)) parts.push_back((lo_open ? "> " : ">= ") + format_number(lo));
        if (std::isfinite(hi)) parts.push_back((hi_open ? "< " : "<= ") + format_number(hi));
        std::string text = "must be " + join(parts, " and ");
        if (sentinel) text += " (or exactly " + format_number(*sentinel) + ")";
        return text;
    }
};

struct KeyDescriptor {
    std::string key;                    // "section.key"
    std::string unit;                   // "" = dimensionless or text
    std::string meaning;                // one or two sentences for docs and --help
    std::vector<std::string> allowed;   // enum names; empty = not an enum
    std::optional<Range> range;         // applies to every number the key holds
    bool names_file = false;            // a path resolved against the config folder; must exist if set
    bool holds_list = false;            // a list or per-species map: the range applies to each value
    std::function<std::string(const Config&)> get;             // current value as INI text
    std::function<void(Config&, const std::string&)> set;      // from INI text; throws BadValue
    std::function<std::vector<double>(const Config&)> numbers; // what the range applies to

    std::string section() const { return key.substr(0, key.find('.')); }
    std::string name() const { return key.substr(key.find('.') + 1); }
};

const std::vector<KeyDescriptor>& key_table();
const KeyDescriptor* find_key(const std::string& key);
bool is_section(const std::string& name);
std::string known_sections();
std::string unknown_key_reason(const std::string& section);
// Every key registered as a string: typing is done by the table, so file and command line agree.
const boost::program_options::options_description& options();

}  // namespace lantian::key_table_detail
