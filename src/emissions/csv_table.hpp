// The strict CSV dialect of Lantian's input files: a header line, '#' comments and blank lines
// ignored, comma-separated cells without quoting. Owns reading and the "file:line: column: value:
// reason" error form; knows nothing of what the columns mean.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace lantian {

struct CsvTable {
    std::string path;                             // as given (used in messages)
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;   // every row has header.size() cells
    std::vector<int> line_numbers;                // 1-based line of each row in the file
    int header_line = 0;

    // Index of a header column, or -1.
    int find(const std::string& column) const;
    // Index of a required column; ConfigError "path:line: header: missing column 'X'" otherwise.
    std::size_t require(const std::string& column) const;

    // ConfigError "path:line: column: value: reason" for a cell.
    [[noreturn]] void fail(std::size_t row, std::size_t col, const std::string& why) const;
    [[noreturn]] void fail(std::size_t row, const std::string& column, const std::string& value,
                           const std::string& why) const;

    // A finite number in [lo, hi] ("must be <range_text>" otherwise); empty cells give
    // `empty_value` when allow_empty, an error otherwise.
    double number(std::size_t row, std::size_t col, double lo, double hi, const std::string& range_text,
                  bool allow_empty = false, double empty_value = 0.0) const;
    const std::string& cell(std::size_t row, std::size_t col) const { return rows[row][col]; }
};

// Reads a file; ConfigError naming the file when it cannot be opened, is empty or has ragged rows.
CsvTable read_csv_file(const std::string& path);
// Parses CSV text already in memory (built-in tables); `label` stands for the path in messages.
CsvTable parse_csv_text(const std::string& text, const std::string& label);

std::string trim_blanks(const std::string& s);

}  // namespace lantian
