// The alert-rule grammar of [alerts] (e.g. "aqi > 200 for 4 days with 2 days aqi > 300 or …"):
// lines 1–3 are the yellow, orange and red rules; the parsed rules then judge a fixed AQI series.
#include "report/alerts.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lantian;
    auto l = fuzz::lines(fuzz::text(data, size));
    l.resize(3);
    static const std::vector<int> aqi = {50, 120, 180, 210, 260, 320, 410, 520, 480, 300, 220, 90, 40, 0, 500};
    return fuzz::expect_config_error_only([&] {
        const AlertRules rules = parse_alert_rules(l[0], l[1], l[2]);
        if (alert_levels(aqi, rules).size() != aqi.size()) throw std::logic_error("one level per day expected");
    });
}
