// Reader of the mechanism text format (docs/mechanism-format.md) and the rate laws of
// mechanism_file.hpp. Every problem is a ConfigError "FILE:LINE: problem".
#include "chemistry/mechanism_file.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "config/config.hpp"

namespace lantian::chem {

namespace {

constexpr double kBoltzmann_J_K = 1.380649e-23;  // J K-1 (exact, SI 2019)

[[noreturn]] void fail(const std::string& file, int line, const std::string& what) {
    throw ConfigError(file + ":" + std::to_string(line) + ": " + what);
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return "";
    const auto e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

std::vector<std::string> split_ws(const std::string& s) {
    std::istringstream is(s);
    std::vector<std::string> out;
    for (std::string t; is >> t;) out.push_back(t);
    return out;
}

std::vector<std::string> split_on(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == sep) {
            out.push_back(trim(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    out.push_back(trim(cur));
    return out;
}

// A finite number occupying the whole token.
struct Reader {
    const std::string& file;
    int line;

    double number(const std::string& token, const std::string& what) const {
        double v = 0;
        const char* first = token.data();
        const char* last = token.data() + token.size();
        if (!token.empty() && *first == '+') ++first;
        const auto [ptr, ec] = std::from_chars(first, last, v);
        if (token.empty() || ec != std::errc() || ptr != last || !std::isfinite(v))
            fail(file, line, "malformed number '" + token + "' (" + what + ")");
        return v;
    }

    // "A", "A,B" or "A,B,Ea": k = A (T/300)^B exp(-Ea/T).
    Arrhenius arrhenius(const std::string& value, const std::string& key) const {
        const std::vector<std::string> parts = split_on(value, ',');
        if (parts.size() > 3) fail(file, line, key + "=" + value + ": expected A[,B[,Ea]]");
        Arrhenius a;
        a.A = number(parts[0], key + " A");
        if (parts.size() > 1) a.B = number(parts[1], key + " B");
        if (parts.size() > 2) a.Ea_K = number(parts[2], key + " Ea");
        return a;
    }
};

const std::map<std::string, RateLawKind>& law_names() {
    static const std::map<std::string, RateLawKind> names{
        {"arrhenius", RateLawKind::arrhenius}, {"troe", RateLawKind::troe},
        {"sum_m", RateLawKind::sum_m},         {"oh_hno3", RateLawKind::oh_hno3},
        {"photolysis", RateLawKind::photolysis}, {"ref", RateLawKind::ref}};
    return names;
}

// Parameter keys each law requires and allows.
struct LawKeys {
    std::vector<std::string> required, optional;
};
LawKeys law_keys(RateLawKind kind) {
    switch (kind) {
    case RateLawKind::arrhenius: return {{"k"}, {}};
    case RateLawKind::troe: return {{"k0", "kinf"}, {"Fc", "n"}};
    case RateLawKind::sum_m: return {{"k1", "k2"}, {}};
    case RateLawKind::oh_hno3: return {{"k0", "k2", "k3"}, {}};
    case RateLawKind::photolysis: return {{"J"}, {"scale"}};
    case RateLawKind::ref: return {{"R"}, {"factor"}};
    }
    return {};
}

class Parser {
public:
    Parser(std::istream& in, const std::string& file) : in_(in), mech_() { mech_.file = file; }

    Mechanism run() {
        std::string raw;
        std::string section;
        int line = 0;
        while (std::getline(in_, raw)) {
            ++line;
            if (line == 1) drop_utf8_bom(raw);
            const std::string text = trim(raw.substr(0, raw.find('#')));
            if (text.empty()) continue;
            if (text.front() == '[') {
                if (text != "[species]" && text != "[reactions]")
                    fail(mech_.file, line, "unknown section " + text + " (expected [species] or [reactions])");
                section = text;
                continue;
            }
            if (section == "[species]") species_line(text, line);
            else if (section == "[reactions]") reaction_line(text, line);
            else fail(mech_.file, line, "line outside a [species] or [reactions] section");
        }
        if (mech_.reactions.empty()) fail(mech_.file, line, "no reactions");
        check_nitrogen();
        build_system();
        return std::move(mech_);
    }

private:
    std::istream& in_;
    Mechanism mech_;
    std::map<std::string, int> reaction_line_of_;

    // NAME  MOLAR_MASS  (- | El=n ...)  [fixed=air|water|RATIO]
    void species_line(const std::string& text, int line) {
        const Reader rd{mech_.file, line};
        const std::vector<std::string> tok = split_ws(text);
        if (tok.size() < 3) fail(mech_.file, line, "species line needs: name, molar mass (g/mol), composition");
        MechSpecies s;
        s.name = tok[0];
        if (mech_.find_species(s.name) >= 0) fail(mech_.file, line, "duplicate species " + s.name);
        s.molar_mass_g_mol = rd.number(tok[1], "molar mass of " + s.name);
        if (s.molar_mass_g_mol <= 0) fail(mech_.file, line, "molar mass of " + s.name + " must be > 0");
        for (std::size_t i = 2; i < tok.size(); ++i) {
            const std::string& t = tok[i];
            if (t == "-") continue;
            const auto eq = t.find('=');
            if (eq == std::string::npos || eq == 0)
                fail(mech_.file, line, "'" + t + "' is neither Element=count nor fixed=...");
            const std::string key = t.substr(0, eq), value = t.substr(eq + 1);
            if (key == "fixed") {
                if (value == "air") s.fixed = FixedKind::air;
                else if (value == "water") s.fixed = FixedKind::water;
                else {
                    s.fixed = FixedKind::ratio;
                    s.ratio = rd.number(value, "fixed mole fraction of " + s.name);
                    if (s.ratio <= 0 || s.ratio > 1)
                        fail(mech_.file, line, "fixed mole fraction of " + s.name + " must be in (0, 1]");
                }
            } else {
                const double count = rd.number(value, "atoms of " + key + " in " + s.name);
                if (count < 0) fail(mech_.file, line, "negative atom count " + t);
                s.atoms[key] = count;
            }
        }
        mech_.species.push_back(s);
    }

    int species_index(const std::string& name, int line) const {
        const int i = mech_.find_species(name);
        if (i < 0) fail(mech_.file, line, "unknown species " + name + " (not in [species])");
        return i;
    }

    // ID  reactants -> products ; LAW key=value ... [; unbalanced_N]
    void reaction_line(const std::string& text, int line) {
        MechReaction r;
        r.line = line;
        const auto sp = text.find_first_of(" \t");
        r.id = text.substr(0, sp);
        if (sp == std::string::npos) fail(mech_.file, line, "reaction " + r.id + " has no equation");
        if (reaction_line_of_.count(r.id))
            fail(mech_.file, line, "duplicate reaction id " + r.id + " (first at line " +
                                       std::to_string(reaction_line_of_[r.id]) + ")");
        const std::vector<std::string> seg = split_on(text.substr(sp), ';');
        r.equation = seg[0];
        parse_equation(r, line);
        if (seg.size() < 2 || seg[1].empty())
            fail(mech_.file, line, "reaction " + r.id + " has no rate law (expected '; LAW key=value ...')");
        parse_law(r, seg[1], line);
        for (std::size_t i = 2; i < seg.size(); ++i) {
            if (seg[i] == "unbalanced_N") r.unbalanced_n = true;
            else fail(mech_.file, line, "unknown reaction flag '" + seg[i] + "' (allowed: unbalanced_N)");
        }
        reaction_line_of_[r.id] = line;
        mech_.reactions.push_back(std::move(r));
    }

    void parse_equation(MechReaction& r, int line) {
        const auto arrow = r.equation.find("->");
        if (arrow == std::string::npos) fail(mech_.file, line, "reaction " + r.id + ": no '->' in the equation");
        const Reader rd{mech_.file, line};
        for (const std::string& t : split_ws(r.equation.substr(0, arrow))) {
            if (t == "+") continue;
            r.reactants.push_back(species_index(t, line));
        }
        if (r.reactants.empty()) fail(mech_.file, line, "reaction " + r.id + " has no reactants");
        double sign = 1;
        for (std::string t : split_ws(r.equation.substr(arrow + 2))) {
            if (t == "+" || t == "-") {
                sign = t == "-" ? -1 : 1;
                continue;
            }
            if (t.front() == '-' || t.front() == '+') {
                if (t.front() == '-') sign = -sign;
                t.erase(0, 1);
            }
            const auto star = t.find('*');
            double coef = 1;
            std::string name = t;
            if (star != std::string::npos) {
                coef = rd.number(t.substr(0, star), "coefficient in " + r.id);
                name = t.substr(star + 1);
            }
            r.products.emplace_back(species_index(name, line), sign * coef);
            sign = 1;
        }
    }

    void parse_law(MechReaction& r, const std::string& law, int line) {
        const Reader rd{mech_.file, line};
        const std::vector<std::string> tok = split_ws(law);
        const auto it = law_names().find(tok[0]);
        if (it == law_names().end())
            fail(mech_.file, line, "unknown rate-law type '" + tok[0] +
                                       "' (known: arrhenius, troe, sum_m, oh_hno3, photolysis, ref)");
        r.kind = it->second;
        std::map<std::string, std::string> kv;
        for (std::size_t i = 1; i < tok.size(); ++i) {
            const auto eq = tok[i].find('=');
            if (eq == std::string::npos || eq == 0) fail(mech_.file, line, "'" + tok[i] + "' is not key=value");
            kv[tok[i].substr(0, eq)] = tok[i].substr(eq + 1);
        }
        const LawKeys keys = law_keys(r.kind);
        for (const std::string& k : keys.required) {
            if (kv.count(k)) continue;
            if (r.kind == RateLawKind::photolysis)
                fail(mech_.file, line, "photolysis reaction " + r.id + " without a J name (J=NAME)");
            fail(mech_.file, line, "reaction " + r.id + ": " + tok[0] + " needs parameter " + k + "=");
        }
        for (const auto& [k, v] : kv) {
            const bool known = std::count(keys.required.begin(), keys.required.end(), k) +
                               std::count(keys.optional.begin(), keys.optional.end(), k) > 0;
            if (!known) fail(mech_.file, line, "reaction " + r.id + ": " + tok[0] + " has no parameter " + k);
        }
        switch (r.kind) {
        case RateLawKind::arrhenius: r.k1 = rd.arrhenius(kv["k"], "k"); break;
        case RateLawKind::troe:
            r.k0 = rd.arrhenius(kv["k0"], "k0");
            r.k1 = rd.arrhenius(kv["kinf"], "kinf");
            if (kv.count("Fc")) r.Fc = rd.number(kv["Fc"], "Fc");
            if (kv.count("n")) r.n = rd.number(kv["n"], "n");
            if (r.k0.A <= 0 || r.k1.A <= 0 || r.Fc <= 0 || r.n == 0)
                fail(mech_.file, line, "reaction " + r.id + ": troe needs k0, kinf, Fc > 0 and n != 0");
            break;
        case RateLawKind::sum_m:
            r.k1 = rd.arrhenius(kv["k1"], "k1");
            r.k2 = rd.arrhenius(kv["k2"], "k2");
            break;
        case RateLawKind::oh_hno3:
            r.k0 = rd.arrhenius(kv["k0"], "k0");
            r.k2 = rd.arrhenius(kv["k2"], "k2");
            r.k3 = rd.arrhenius(kv["k3"], "k3");
            if (r.k2.A <= 0) fail(mech_.file, line, "reaction " + r.id + ": oh_hno3 needs k2 > 0");
            break;
        case RateLawKind::photolysis: {
            const std::string& name = kv["J"];
            if (name.empty()) fail(mech_.file, line, "photolysis reaction " + r.id + " without a J name (J=NAME)");
            r.photolysis = mech_.find_photolysis(name);
            if (r.photolysis < 0) {
                r.photolysis = static_cast<int>(mech_.photolysis_names.size());
                mech_.photolysis_names.push_back(name);
            }
            if (kv.count("scale")) r.factor = rd.number(kv["scale"], "photolysis scale");
            break;
        }
        case RateLawKind::ref:
            r.ref = mech_.find_reaction(kv["R"]);
            if (r.ref < 0)
                fail(mech_.file, line, "reaction " + r.id + " refers to " + kv["R"] + ", not defined above it");
            if (kv.count("factor")) r.factor = rd.number(kv["factor"], "ref factor");
            break;
        }
        // M is inside the pressure-dependent laws; listing it too would count it twice.
        const bool has_m_law = r.kind == RateLawKind::troe || r.kind == RateLawKind::sum_m ||
                               r.kind == RateLawKind::oh_hno3;
        for (int s : r.reactants)
            if (has_m_law && mech_.species[s].fixed == FixedKind::air)
                fail(mech_.file, line, "reaction " + r.id + ": " + mech_.species[s].name + " is part of the " +
                                           tok[0] + " law; do not list it as a reactant");
    }

    void check_nitrogen() const {
        for (const MechReaction& r : mech_.reactions) {
            const double d = nitrogen_imbalance(mech_, r);
            const bool balanced = std::abs(d) <= kNitrogenTolerance;
            std::ostringstream msg;
            msg << "reaction " << r.id << ": ";
            if (!balanced && !r.unbalanced_n) {
                msg << "nitrogen is not conserved (products - reactants = " << d
                    << " N atoms); mark it '; unbalanced_N' if the mechanism means it";
                fail(mech_.file, r.line, msg.str());
            }
            if (balanced && r.unbalanced_n) {
                msg << "marked unbalanced_N but conserves nitrogen";
                fail(mech_.file, r.line, msg.str());
            }
        }
    }

    void build_system() {
        ReactionSystem& sys = mech_.system;
        for (MechSpecies& s : mech_.species) {
            if (s.fixed != FixedKind::integrated) continue;
            s.integrated_index = sys.nspecies();
            sys.species.push_back(s.name);
        }
        for (const MechReaction& r : mech_.reactions) {
            CompiledReaction c;
            c.label = r.id + ": " + r.equation;
            for (int s : r.reactants)
                if (mech_.species[s].integrated_index >= 0) c.reactants.push_back(mech_.species[s].integrated_index);
            if (c.reactants.empty())
                fail(mech_.file, r.line, "reaction " + r.id + " has no integrated (non-fixed) reactant");
            std::map<int, double> merged;
            for (const auto& [s, coef] : r.products)
                if (mech_.species[s].integrated_index >= 0) merged[mech_.species[s].integrated_index] += coef;
            for (const auto& [s, coef] : merged)
                if (coef != 0) c.products.push_back({s, coef});
            sys.reactions.push_back(std::move(c));
        }
    }
};

}  // namespace

double Arrhenius::at(double T_K) const { return A * std::pow(T_K / 300.0, B) * std::exp(-Ea_K / T_K); }

int Mechanism::find_species(const std::string& name) const {
    for (std::size_t i = 0; i < species.size(); ++i)
        if (species[i].name == name) return static_cast<int>(i);
    return -1;
}
int Mechanism::find_reaction(const std::string& id) const {
    for (std::size_t i = 0; i < reactions.size(); ++i)
        if (reactions[i].id == id) return static_cast<int>(i);
    return -1;
}
int Mechanism::find_photolysis(const std::string& name) const {
    for (std::size_t i = 0; i < photolysis_names.size(); ++i)
        if (photolysis_names[i] == name) return static_cast<int>(i);
    return -1;
}

Mechanism parse_mechanism(std::istream& in, const std::string& file) { return Parser(in, file).run(); }

Mechanism read_mechanism_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw ConfigError(path + ": cannot open the mechanism file");
    return parse_mechanism(in, path);
}

double nitrogen_imbalance(const Mechanism& mech, const MechReaction& r) {
    const auto n_of = [&](int s) {
        const auto it = mech.species[s].atoms.find("N");
        return it == mech.species[s].atoms.end() ? 0.0 : it->second;
    };
    double d = 0;
    for (const auto& [s, coef] : r.products) d += coef * n_of(s);
    for (int s : r.reactants) d -= n_of(s);
    return d;
}

// M = p / (kB T) in m-3, times 1e-6 for cm-3.
double air_number_density(double T_K, double p_Pa) { return p_Pa / (kBoltzmann_J_K * T_K) * 1e-6; }

double law_rate_constant(const Mechanism& mech, int reaction, double T_K, double M_cm3, const double* j_per_s) {
    const MechReaction& r = mech.reactions[reaction];
    switch (r.kind) {
    case RateLawKind::arrhenius: return r.k1.at(T_K);
    case RateLawKind::troe: {
        // k = k0 M / (1 + k0 M / kinf) · Fc^(1 / (1 + (log10(k0 M / kinf) / n)^2))
        const double k0M = r.k0.at(T_K) * M_cm3;
        const double ratio = k0M / r.k1.at(T_K);
        const double x = std::log10(ratio) / r.n;
        return k0M / (1.0 + ratio) * std::pow(r.Fc, 1.0 / (1.0 + x * x));
    }
    case RateLawKind::sum_m: return r.k1.at(T_K) + r.k2.at(T_K) * M_cm3;  // k1 + k2 M
    case RateLawKind::oh_hno3: {
        // k = k0 + k3 M / (1 + k3 M / k2)
        const double k3M = r.k3.at(T_K) * M_cm3;
        return r.k0.at(T_K) + k3M / (1.0 + k3M / r.k2.at(T_K));
    }
    case RateLawKind::photolysis: return j_per_s ? r.factor * j_per_s[r.photolysis] : 0.0;
    case RateLawKind::ref: return r.factor * law_rate_constant(mech, r.ref, T_K, M_cm3, j_per_s);
    }
    return 0.0;
}

// k_j = k_law · Π_{fixed reactants} [F], [M] = p/(kB T), [ratio species] = ratio · M, [H2O] given.
void rate_constants(const Mechanism& mech, double T_K, double p_Pa, double h2o_molec_cm3, const double* j_per_s,
                    double* k_out) {
    const double M = air_number_density(T_K, p_Pa);
    for (std::size_t j = 0; j < mech.reactions.size(); ++j) {
        const MechReaction& r = mech.reactions[j];
        double k = law_rate_constant(mech, static_cast<int>(j), T_K, M, j_per_s);
        for (int s : r.reactants) {
            const MechSpecies& sp = mech.species[s];
            switch (sp.fixed) {
            case FixedKind::integrated: break;
            case FixedKind::air: k *= M; break;
            case FixedKind::ratio: k *= sp.ratio * M; break;
            case FixedKind::water: k *= h2o_molec_cm3; break;
            }
        }
        k_out[j] = k;
    }
}

}  // namespace lantian::chem
