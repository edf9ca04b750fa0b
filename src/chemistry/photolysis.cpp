// Photolysis rates: the table reader and the J evaluation of photolysis.hpp. Method and sources:
// docs/photolysis.md. Every table problem is a ConfigError "FILE:LINE: problem".
#include "chemistry/photolysis.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "chemistry/mechanism_file.hpp"
#include "config/config.hpp"

namespace lantian::chem {

namespace {

[[noreturn]] void fail(const std::string& file, int line, const std::string& what) {
    throw ConfigError(file + ":" + std::to_string(line) + ": " + what);
}

// The whole token must be a finite number.
bool parse_number(const std::string& t, double& out) {
    const char* b = t.data();
    const char* e = b + t.size();
    auto [p, ec] = std::from_chars(b, e, out);
    return ec == std::errc() && p == e && std::isfinite(out);
}

double number(const std::string& t, const std::string& what, const std::string& file, int line) {
    double v = 0;
    if (!parse_number(t, v)) fail(file, line, "malformed " + what + " '" + t + "'");
    return v;
}

// "J4" or "COEF*J4" -> (MCM index, coefficient).
std::pair<int, double> parse_term(const PhotolysisTable& t, const std::string& tok, int line) {
    double coef = 1.0;
    std::string name = tok;
    if (const auto star = tok.find('*'); star != std::string::npos) {
        coef = number(tok.substr(0, star), "coefficient", t.file, line);
        if (coef <= 0) fail(t.file, line, "coefficient must be > 0 in '" + tok + "'");
        name = tok.substr(star + 1);
    }
    const int k = t.find_mcm(name);
    if (k < 0) fail(t.file, line, "unknown MCM J '" + name + "' (not listed in [mcm] above)");
    return {k, coef};
}

void parse_mcm_line(PhotolysisTable& t, const std::vector<std::string>& tok, int line) {
    if (tok.size() != 4) fail(t.file, line, "an [mcm] line needs NAME l m n");
    if (t.find_mcm(tok[0]) >= 0)
        fail(t.file, line, "duplicate MCM J '" + tok[0] + "' (first on line " +
                               std::to_string(t.mcm[static_cast<size_t>(t.find_mcm(tok[0]))].line) + ")");
    McmJ j;
    j.name = tok[0];
    j.l_per_s = number(tok[1], "l", t.file, line);
    j.m = number(tok[2], "m", t.file, line);
    j.n = number(tok[3], "n", t.file, line);
    j.line = line;
    if (j.l_per_s <= 0) fail(t.file, line, "l must be > 0 s-1");
    if (j.m < 0 || j.n < 0) fail(t.file, line, "m and n must be >= 0");
    t.mcm.push_back(j);
}

void parse_map_line(PhotolysisTable& t, const std::vector<std::string>& tok, int line) {
    if (tok.size() < 3) fail(t.file, line, "a [map] line needs NAME TERM... exact|simplified");
    if (const int d = t.find_map(tok[0]); d >= 0)
        fail(t.file, line, "duplicate J name '" + tok[0] + "' (first on line " +
                               std::to_string(t.map[static_cast<size_t>(d)].line) + ")");
    PhotolysisMapping m;
    m.name = tok[0];
    m.line = line;
    const std::string& status = tok.back();
    if (status == "simplified") m.simplified = true;
    else if (status != "exact")
        fail(t.file, line, "status must be 'exact' or 'simplified', not '" + status + "'");
    for (size_t i = 1; i + 1 < tok.size(); ++i) m.terms.push_back(parse_term(t, tok[i], line));
    t.map.push_back(std::move(m));
}

}  // namespace

int PhotolysisTable::find_mcm(const std::string& name) const {
    for (size_t i = 0; i < mcm.size(); ++i)
        if (mcm[i].name == name) return static_cast<int>(i);
    return -1;
}

int PhotolysisTable::find_map(const std::string& name) const {
    for (size_t i = 0; i < map.size(); ++i)
        if (map[i].name == name) return static_cast<int>(i);
    return -1;
}

PhotolysisTable parse_photolysis_table(std::istream& in, const std::string& file) {
    PhotolysisTable t;
    t.file = file;
    std::string section;
    std::string raw;
    for (int line = 1; std::getline(in, raw); ++line) {
        if (line == 1) drop_utf8_bom(raw);
        if (const auto hash = raw.find('#'); hash != std::string::npos) raw.erase(hash);
        std::istringstream is(raw);
        std::vector<std::string> tok;
        for (std::string s; is >> s;) tok.push_back(s);
        if (tok.empty()) continue;
        if (tok.size() == 1 && tok[0].starts_with('[')) {
            if (tok[0] != "[mcm]" && tok[0] != "[map]") fail(file, line, "unknown section " + tok[0]);
            section = tok[0];
            continue;
        }
        if (section == "[mcm]") parse_mcm_line(t, tok, line);
        else if (section == "[map]") parse_map_line(t, tok, line);
        else fail(file, line, "line outside a section ([mcm] or [map])");
    }
    if (t.map.empty()) fail(file, 0, "no [map] entries");
    return t;
}

PhotolysisTable read_photolysis_table(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw ConfigError(path + ": cannot open the photolysis table");
    return parse_photolysis_table(in, path);
}

void bind_to_mechanism(PhotolysisTable& table, const Mechanism& mech) {
    table.order.clear();
    for (const auto& name : mech.photolysis_names) {
        const int k = table.find_map(name);
        if (k < 0)
            throw ConfigError(table.file + ": photolysis reaction J=" + name + " of " + mech.file +
                              " has no rate parameterisation (add it to [map])");
        table.order.push_back(k);
    }
}

// Altitude (docs/photolysis.md, "Altitude"): a linear increase above sea level, capped,
//   F_alt = min(1 + a · z_km, F_max),  z_km = max(z, 0) / 1000
double altitude_factor(double altitude_m) {
    constexpr double a_per_km = 0.05;  // fractional increase of J per km
    constexpr double f_max = 1.5;      // cap (reached at 10 km)
    const double z_km = std::max(altitude_m, 0.0) / 1000.0;
    return std::min(1.0 + a_per_km * z_km, f_max);
}

// Clouds below cloud base (Chang et al., 1987, J. Geophys. Res. 92, 14681; the RADM/CMAQ form):
//   tr = (5 − exp(−τ)) / (4 + 3 τ (1 − g)),  g = 0.86 (asymmetry factor of cloud droplets)
//   F_cloud = 1 + f · (1.6 · tr · cos χ − 1), capped at 1 (no broken-cloud enhancement)
// τ from the liquid water path when τ is not given (Stephens, 1978, J. Atmos. Sci. 35, 2123):
//   τ = 3 LWP / (2 ρ_w r_e),  ρ_w = 1e6 g m-3, r_e = 10 µm  →  τ = 0.15 · LWP[g m-2]
double cloud_factor(const PhotolysisInputs& in) {
    const double f = std::clamp(in.cloud_fraction, 0.0, 1.0);
    if (f <= 0 || !in.below_cloud || in.cos_zenith <= 0) return 1.0;
    double tau = in.cloud_optical_depth;
    if (tau < 0 && in.liquid_water_path_g_m2 >= 0) {
        constexpr double rho_w_g_m3 = 1.0e6;
        constexpr double r_e_m = 10.0e-6;
        tau = 3.0 * in.liquid_water_path_g_m2 / (2.0 * rho_w_g_m3 * r_e_m);
    }
    if (tau < 0) return 1.0;  // cloud amount unknown: no correction
    constexpr double g = 0.86;
    const double tr = (5.0 - std::exp(-tau)) / (4.0 + 3.0 * tau * (1.0 - g));
    const double factor = 1.0 + f * (1.6 * tr * std::min(in.cos_zenith, 1.0) - 1.0);
    return std::clamp(factor, 0.0, 1.0);
}

// Surface albedo (Madronich, 1987, J. Geophys. Res. 92, 9740): the actinic flux just above a
// Lambertian surface of albedo A is about (1 + 2A) times that above a black one, so relative to the
// albedo A_ref of the clear-sky values
//   F_albedo = (1 + 2A) / (1 + 2 A_ref),  A clamped to [0, 1]
double albedo_factor(double albedo) {
    const double a = std::clamp(albedo, 0.0, 1.0);
    return (1.0 + 2.0 * a) / (1.0 + 2.0 * kReferenceAlbedo);
}

// J_clear = Σ coef · l (cos χ)^m exp(−n / cos χ), 0 for cos χ ≤ 0
double clear_sky_rate(const PhotolysisTable& table, int map_index, double cos_zenith) {
    if (!(cos_zenith > 0)) return 0.0;
    const double mu = std::min(cos_zenith, 1.0);
    double j = 0;
    for (const auto& [k, coef] : table.map[static_cast<size_t>(map_index)].terms) {
        const McmJ& p = table.mcm[static_cast<size_t>(k)];
        j += coef * p.l_per_s * std::pow(mu, p.m) * std::exp(-p.n / mu);
    }
    return j;
}

// J = J_clear · F_alt · F_cloud · F_albedo, in the order of table.order
void photolysis_rates(const PhotolysisTable& table, const PhotolysisInputs& in, double* j_per_s) {
    const size_t n = table.order.size();
    if (!(in.cos_zenith > 0)) {
        std::fill(j_per_s, j_per_s + n, 0.0);
        return;
    }
    const double corr = altitude_factor(in.altitude_m) * cloud_factor(in) * albedo_factor(in.albedo);
    for (size_t i = 0; i < n; ++i) j_per_s[i] = corr * clear_sky_rate(table, table.order[i], in.cos_zenith);
}

}  // namespace lantian::chem
