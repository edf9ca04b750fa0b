// Alert and measure level names and the alert-rule grammar: parsing only (evaluating rules on a
// forecast is report/alerts.cpp). Knows the config's texts, nothing of outputs or reports.
#include "config/alert_levels.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>

#include "config/config.hpp"

namespace lantian {

std::string alert_name(AlertLevel l) {
    static const char* n[] = {"none", "yellow", "orange", "red"};
    return n[static_cast<int>(l)];
}
std::string alert_name_zh(AlertLevel l) {
    static const char* n[] = {"无", "黄色", "橙色", "红色"};
    return n[static_cast<int>(l)];
}

std::string measure_level_name(MeasureLevel l) {
    static const char* n[] = {"always", "yellow", "orange", "red"};
    return n[static_cast<int>(l)];
}

std::optional<MeasureLevel> measure_level_from_name(const std::string& name) {
    for (int l = 0; l < 4; ++l)
        if (measure_level_name(static_cast<MeasureLevel>(l)) == name) return static_cast<MeasureLevel>(l);
    return std::nullopt;
}

namespace {

constexpr char kExpected[] =
    "expected 'aqi > T for N days [with M days aqi > T2]' clauses joined by 'or' (> or >=; e.g. "
    "'aqi > 200 for 4 days with 2 days aqi > 300 or aqi >= 500 for 1 day')";

// Tokens: words, numbers and the comparison operators.
std::vector<std::string> tokens(const std::string& text) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
        } else if (c == '>' || c == '<' || c == '=') {
            std::string op(1, c);
            if (i + 1 < text.size() && text[i + 1] == '=') op += '=';
            out.push_back(op);
            i += op.size();
        } else {
            std::size_t j = i;
            while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j])) && text[j] != '>' && text[j] != '<' &&
                   text[j] != '=')
                ++j;
            std::string w = text.substr(i, j - i);
            std::transform(w.begin(), w.end(), w.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
            out.push_back(w);
            i = j;
        }
    }
    return out;
}

}  // namespace

std::vector<AlertClause> parse_alert_rule(const std::string& key, const std::string& text) {
    const std::vector<std::string> t = tokens(text);
    std::size_t p = 0;
    auto fail = [&](const std::string& why) -> void {
        throw ConfigError(key + " = " + text + ": " + why + "; " + kExpected);
    };
    auto expect_word = [&](std::initializer_list<const char*> words) {
        if (p >= t.size()) fail("ends too early");
        for (const char* w : words)
            if (t[p] == w) {
                ++p;
                return;
            }
        fail("unexpected '" + t[p] + "'");
    };
    auto number = [&]() {
        if (p >= t.size()) fail("ends too early");
        try {
            std::size_t used = 0;
            const double v = std::stod(t[p], &used);
            if (used != t[p].size()) throw std::invalid_argument("");
            ++p;
            return v;
        } catch (const std::exception&) {
            fail("'" + t[p] + "' is not a number");
        }
        return 0.0;
    };
    auto comparison = [&](double& threshold, bool& inclusive) {
        expect_word({"aqi"});
        if (p >= t.size() || (t[p] != ">" && t[p] != ">=")) fail(p < t.size() ? "'" + t[p] + "' is not > or >=" : "ends too early");
        inclusive = t[p] == ">=";
        ++p;
        threshold = number();
        if (!(threshold >= 0 && threshold <= 500)) fail("the AQI threshold must be in [0, 500]");
    };
    // A run of days within a year (run.hours <= 8784 h = 366 days); checked before the conversion
    // to int, which is undefined for values int cannot hold (and for NaN).
    constexpr double kMaxDays = 366;
    auto whole = [&](double v, const char* what) {
        if (!(v >= 1 && v <= kMaxDays) || v != std::floor(v))
            fail(std::string(what) + " must be a whole number in 1..366");
        return static_cast<int>(v);
    };
    std::vector<AlertClause> clauses;
    if (t.empty()) fail("is empty");
    while (true) {
        AlertClause c;
        comparison(c.threshold, c.inclusive);
        expect_word({"for"});
        c.days = whole(number(), "the number of days");
        expect_word({"day", "days"});
        if (p < t.size() && t[p] == "with") {
            ++p;
            c.with_days = whole(number(), "the number of days after 'with'");
            expect_word({"day", "days"});
            comparison(c.with_threshold, c.with_inclusive);
            if (c.with_days > c.days) fail("'with' asks for more days than the run has");
        }
        clauses.push_back(c);
        if (p == t.size()) break;
        expect_word({"or"});
    }
    return clauses;
}

AlertRules parse_alert_rules(const std::string& yellow, const std::string& orange, const std::string& red) {
    AlertRules r;
    r.levels[0] = parse_alert_rule("alerts.yellow", yellow);
    r.levels[1] = parse_alert_rule("alerts.orange", orange);
    r.levels[2] = parse_alert_rule("alerts.red", red);
    return r;
}

}  // namespace lantian
