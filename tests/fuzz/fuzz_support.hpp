// Shared by the libFuzzer harnesses of tests/fuzz (docs/fuzzing.md). A harness hands the fuzzer's
// bytes to one reader; ConfigError, the documented outcome of bad input (exit 2), is expected and
// swallowed. Anything else (another exception, a crash, a sanitizer report, a leak, a hang) is a
// finding: an exception escaping LLVMFuzzerTestOneInput ends in std::terminate, which libFuzzer
// reports with the input that caused it.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace lantian::fuzz {

inline std::string text(const std::uint8_t* data, std::size_t size) {
    return std::string(reinterpret_cast<const char*>(data), size);
}

// Readers that take a path get the bytes through one file per process in /tmp, removed at exit.
class InputFile {
public:
    explicit InputFile(const std::string& name)
        : path_("/tmp/lantian-fuzz-" + std::to_string(::getpid()) + "-" + name) {}
    ~InputFile() { std::remove(path_.c_str()); }
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;
    const std::string& write(const std::uint8_t* data, std::size_t size) {
        std::ofstream out(path_, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
        return path_;
    }

private:
    std::string path_;
};

// The input cut at lines that are exactly "%%": harnesses whose target takes several texts (an INI
// file and its overrides, stations and cities) read one part each.
inline std::vector<std::string> parts(const std::string& s) {
    std::vector<std::string> out(1);
    std::size_t begin = 0;
    while (begin <= s.size()) {
        std::size_t end = s.find('\n', begin);
        if (end == std::string::npos) end = s.size();
        const std::string_view line(s.data() + begin, end - begin);
        if (line == "%%")
            out.emplace_back();
        else
            out.back().append(line).append(end < s.size() ? "\n" : "");
        begin = end + 1;
    }
    return out;
}

// The lines of a text (no line terminators; a trailing empty line dropped).
inline std::vector<std::string> lines(const std::string& s) {
    std::vector<std::string> out;
    std::size_t begin = 0;
    while (begin < s.size()) {
        std::size_t end = s.find('\n', begin);
        if (end == std::string::npos) end = s.size();
        out.emplace_back(s, begin, end - begin);
        begin = end + 1;
    }
    return out;
}

// Runs one reader call: ConfigError is the expected outcome of bad input.
template <typename F>
int expect_config_error_only(F&& call) {
    try {
        call();
    } catch (const ConfigError&) {
    }
    return 0;
}

}  // namespace lantian::fuzz
