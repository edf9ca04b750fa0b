// The INI parser and the command-line overrides: the text before a line "%%" is the config file,
// each line after it one `section.key=value` override; load_config_text parses, applies the
// overrides and validates (every key's range and the rules that join keys). Relative paths resolve
// against configs/, so the shipped examples find their inventories.
#include "config/config_parser.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lantian;
    const auto p = fuzz::parts(fuzz::text(data, size));
    std::vector<std::string> overrides;
    for (std::size_t i = 1; i < p.size(); ++i)
        for (auto& l : fuzz::lines(p[i])) overrides.push_back(std::move(l));
    return fuzz::expect_config_error_only([&] {
        const Config c = load_config_text(p[0], LANTIAN_SOURCE_DIR "/configs/fuzz.ini", overrides);
        // What the run writes into its output must read back (--print-config, lantian_config).
        (void)load_stored_config(to_ini(c), LANTIAN_SOURCE_DIR "/configs/fuzz-stored.ini");
    });
}
