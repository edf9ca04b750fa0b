// Reading of the strict CSV dialect shared by every tabular input.
#include "emissions/csv_table.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "config/config.hpp"

namespace lantian {

std::string trim_blanks(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

namespace {

CsvTable parse_stream(std::istream& in, const std::string& label) {
    CsvTable t;
    t.path = label;
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (line_no == 1) drop_utf8_bom(line);
        const std::string stripped = trim_blanks(line);
        if (stripped.empty() || stripped[0] == '#') continue;
        std::vector<std::string> cells;
        std::stringstream ss(stripped);
        std::string cell;
        while (std::getline(ss, cell, ',')) cells.push_back(trim_blanks(cell));
        if (stripped.back() == ',') cells.push_back("");
        if (t.header.empty()) {
            t.header = cells;
            t.header_line = line_no;
            for (std::size_t c = 0; c < cells.size(); ++c)
                for (std::size_t d = 0; d < c; ++d)
                    if (cells[c] == cells[d])
                        throw ConfigError(label + ":" + std::to_string(line_no) + ": header: column '" + cells[c] +
                                          "' appears twice");
            continue;
        }
        if (cells.size() != t.header.size())
            throw ConfigError(label + ":" + std::to_string(line_no) + ": expected " + std::to_string(t.header.size()) +
                              " columns (as in the header), found " + std::to_string(cells.size()) +
                              " (cells cannot contain commas)");
        t.rows.push_back(std::move(cells));
        t.line_numbers.push_back(line_no);
    }
    if (t.header.empty()) throw ConfigError(label + ": empty file (a header line is required)");
    return t;
}

}  // namespace

CsvTable read_csv_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw ConfigError(path + ": cannot open file");
    return parse_stream(in, path);
}

CsvTable parse_csv_text(const std::string& text, const std::string& label) {
    std::istringstream in(text);
    return parse_stream(in, label);
}

int CsvTable::find(const std::string& column) const {
    for (std::size_t c = 0; c < header.size(); ++c)
        if (header[c] == column) return static_cast<int>(c);
    return -1;
}

std::size_t CsvTable::require(const std::string& column) const {
    const int c = find(column);
    if (c < 0) throw ConfigError(path + ":" + std::to_string(header_line) + ": header: missing column '" + column + "'");
    return static_cast<std::size_t>(c);
}

void CsvTable::fail(std::size_t row, std::size_t col, const std::string& why) const {
    fail(row, header[col], rows[row][col], why);
}

void CsvTable::fail(std::size_t row, const std::string& column, const std::string& value, const std::string& why) const {
    throw ConfigError(path + ":" + std::to_string(line_numbers[row]) + ": " + column + ": " +
                      (value.empty() ? std::string("(empty)") : value) + ": " + why);
}

double CsvTable::number(std::size_t row, std::size_t col, double lo, double hi, const std::string& range_text,
                        bool allow_empty, double empty_value) const {
    const std::string& s = rows[row][col];
    if (s.empty()) {
        if (allow_empty) return empty_value;
        fail(row, col, "a number is required");
    }
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (*end != '\0' || !std::isfinite(v)) fail(row, col, "not a number");
    if (v < lo || v > hi) fail(row, col, "must be " + range_text);
    return v;
}

}  // namespace lantian
