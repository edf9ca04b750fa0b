// The mechanism file reader (src/chemistry/mechanism_file.hpp) and the shipped CB6r3 mechanism
// (configs/mechanisms/cb6r3.txt): counts, nitrogen balance, rate constants against the published
// k(298 K) table, the compiled ReactionSystem, and every kind of bad input naming FILE:LINE.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <unistd.h>

#include "chemistry/mechanism_file.hpp"
#include "config/config.hpp"

using namespace lantian;
using namespace lantian::chem;

namespace {
const std::string kCb6r3 = std::string(LANTIAN_SOURCE_DIR) + "/configs/mechanisms/cb6r3.txt";

const Mechanism& cb6r3() {
    static const Mechanism m = read_mechanism_file(kCb6r3);
    return m;
}

int reaction(const Mechanism& m, const std::string& id) {
    const int j = m.find_reaction(id);
    REQUIRE(j >= 0);
    return j;
}

// Writes `text` to a fresh file (named by process and tag) in the temporary folder and returns its path.
std::string temp_mechanism(const std::string& text, const std::string& tag) {
    const auto path = std::filesystem::temp_directory_path() / ("lantian_mech_" + std::to_string(::getpid()) + "_" + tag + ".txt");
    std::ofstream(path) << text;
    return path.string();
}

// A small valid mechanism; the bad-input cases append one line (line 11) or replace one.
const std::string kSmallHead =
    "[species]\n"                          // 1
    "M    28.97 -      fixed=air\n"        // 2
    "O2   32.0  O=2    fixed=0.2095\n"     // 3
    "NO   30.0  N=1 O=1\n"                 // 4
    "NO2  46.0  N=1 O=2\n"                 // 5
    "O3   48.0  O=3\n"                     // 6
    "O    16.0  O=1\n"                     // 7
    "[reactions]\n"                        // 8
    "R1 NO2 -> NO + O ; photolysis J=NO2\n"                 // 9
    "R2 O + O2 + M -> O3 ; arrhenius k=5.68e-34,-2.6\n";    // 10

// Reading `text` (from a temporary file) must throw a ConfigError starting "FILE:LINE: " and
// containing `fragment`.
void expect_config_error(const std::string& text, const std::string& tag, int line, const std::string& fragment) {
    const std::string path = temp_mechanism(text, tag);
    try {
        (void)read_mechanism_file(path);
        FAIL("no ConfigError for " << tag);
    } catch (const ConfigError& e) {
        const std::string msg = e.what();
        INFO(msg);
        CHECK(msg.find(path + ":" + std::to_string(line) + ": ") == 0);
        CHECK(msg.find(fragment) != std::string::npos);
    }
    std::filesystem::remove(path);
}

// The small mechanism with `bad_line` appended as line 11.
void expect_error_at(const std::string& bad_line, const std::string& tag, const std::string& fragment) {
    expect_config_error(kSmallHead + bad_line + "\n", tag, 11, fragment);
}
}  // namespace

TEST_CASE("The shipped CB6r3 mechanism parses with its species, reactions and photolysis names", "[unit][chemistry]") {
    const Mechanism& m = cb6r3();
    CHECK(m.species.size() == 82);          // 76 integrated + M, O2, N2, H2O, CH4, H2
    CHECK(m.system.nspecies() == 76);
    CHECK(m.reactions.size() == 218);       // R1-R214, R217-R220 of CB6r3
    CHECK(m.system.nreactions() == 218);
    const std::vector<std::string> j_names{
        "NO2_IUPAC10",    "O3_O3P_IUPAC10", "O3_O1D_IUPAC10", "H2O2_IUPAC10",   "NO3NO2_06",
        "NO3NO_06",       "N2O5_IUPAC10",   "HONO_IUPAC10",   "HNO3_IUPAC10",   "PNA_IUPAC10",
        "PAN_IUPAC10",    "MEPX_IUPAC10",   "NTR_IUPAC10",    "FORM_R_IUPAC10", "FORM_M_IUPAC10",
        "ALD2_R_IUPAC10", "ALDX_R_IUPAC10", "GLYD_IUPAC10",   "GLY_R_IUPAC10",  "MGLY_IUPAC10",
        "KET_IUPAC10",    "ACET_IUPAC10",   "ISPD",           "HPALD"};
    CHECK(m.photolysis_names == j_names);
    for (const char* fixed : {"M", "O2", "N2", "H2O", "CH4", "H2"}) {
        const int s = m.find_species(fixed);
        REQUIRE(s >= 0);
        CHECK(m.species[s].fixed != FixedKind::integrated);
        CHECK(m.species[s].integrated_index == -1);
    }
    CHECK(m.species[m.find_species("N2O5")].atoms.at("N") == 2);
    CHECK(m.species[m.find_species("PAN")].molar_mass_g_mol == Approx(121.0));
}

TEST_CASE("CB6r3 conserves nitrogen except in exactly the reactions the file marks", "[unit][chemistry]") {
    const Mechanism& m = cb6r3();
    std::set<std::string> marked;
    for (const MechReaction& r : m.reactions) {
        if (r.unbalanced_n) marked.insert(r.id);
        else CHECK(std::abs(nitrogen_imbalance(m, r)) <= kNitrogenTolerance);
    }
    // The file documents two: published yields rounded to 3 decimals (N out 1.001 and 0.999).
    CHECK(marked == std::set<std::string>{"R160", "R170"});
    CHECK(nitrogen_imbalance(m, m.reactions[reaction(m, "R160")]) == Approx(0.001).margin(1e-9));
    CHECK(nitrogen_imbalance(m, m.reactions[reaction(m, "R170")]) == Approx(-0.001).margin(1e-9));
}

TEST_CASE("CB6r3 rate constants equal the published k at 298.15 K and 1 atm", "[unit][chemistry]") {
    // Tabulated values: CMAQ mech_cb6r3_ae7_aq.csv (US EPA, CMAQ v5.3, CCTM/src/MECHS/cb6r3_ae7_aq/),
    // column "Value at 298.15 K; 2.4615E+19 molec/cm^3; 1.00 Atm.". For termolecular reactions
    // (R2, R4, R24) and those with O2 or H2O (R20, R134) the table lists k without the fixed
    // concentrations; law_rate_constant gives the same, rate_constants folds them in (checked below).
    struct Row {
        const char* id;
        double k298;
        const char* form;
    };
    const std::vector<Row> table{
        {"R2", 5.7721e-34, "arrhenius, x[O2][M]"},   {"R3", 1.7296e-14, "arrhenius"},
        {"R5", 1.0333e-11, "arrhenius"},             {"R6", 2.1061e-12, "troe"},
        {"R10", 3.2796e-11, "arrhenius, x[M]"},      {"R13", 2.0168e-15, "arrhenius (T/300)^B"},
        {"R16", 1.4519e-12, "arrhenius (T/300)^B"},  {"R17", 5.2439e-12, "troe"},
        {"R19", 2.8975e-12, "sum_m"},                {"R20", 6.4973e-30, "sum_m, x[H2O]"},
        {"R24", 1.9522e-38, "arrhenius, x[O2]"},     {"R36", 1.2406e-12, "troe"},
        {"R37", 4.5396e-02, "troe, unimolecular"},   {"R40", 9.7627e-12, "troe"},
        {"R45", 1.0589e-11, "troe"},                 {"R46", 1.5409e-13, "oh_hno3"},
        {"R48", 1.3826e-12, "troe"},                 {"R49", 8.4618e-02, "troe, unimolecular"},
        {"R52", 8.1103e-13, "troe"},                 {"R54", 9.3892e-12, "troe"},
        {"R55", 3.0541e-04, "troe, unimolecular"},   {"R62", 9.3892e-12, "ref R54"},
        {"R74", 3.4772e-13, "ref R70"},              {"R102", 1.5268e+02, "arrhenius, first order"},
        {"R123", 2.2843e-13, "sum_m"},               {"R130", 1.7589e-13, "arrhenius"},
        {"R133", 2.1704e+04, "arrhenius, first order"}, {"R134", 7.6695e-15, "arrhenius, x[O2]"},
        {"R136", 7.5233e-13, "troe"},                {"R138", 7.8392e-12, "troe"},
        {"R142", 2.8547e-11, "troe"},                {"R155", 2.6821e-03, "arrhenius, first order"},
        {"R217", 3.1400e-02, "troe, operator"},      {"R219", 1.5312e-01, "troe, operator"}};
    const Mechanism& m = cb6r3();
    const double T = 298.15, p = 101325.0;
    const double M = air_number_density(T, p);
    CHECK(M == Approx(2.4615e19).epsilon(1e-4));
    for (const Row& row : table) {
        INFO(row.id << " (" << row.form << ")");
        CHECK(law_rate_constant(m, reaction(m, row.id), T, M, nullptr) == Approx(row.k298).epsilon(0.01));
    }
    // The same table at 275.15 K, 2.0936E+19 molec cm-3 (0.78 atm), for the pressure-dependent forms.
    const double T2 = 275.15, M2 = 2.0936e19;
    const std::vector<Row> cold{{"R6", 2.0317e-12, "troe"},      {"R20", 1.3914e-29, "sum_m"},
                                {"R37", 2.0612e-03, "troe"},     {"R46", 2.0407e-13, "oh_hno3"},
                                {"R123", 2.1581e-13, "sum_m"},   {"R217", 3.2991e-02, "troe"}};
    for (const Row& row : cold) {
        INFO(row.id << " at 275.15 K (" << row.form << ")");
        CHECK(law_rate_constant(m, reaction(m, row.id), T2, M2, nullptr) == Approx(row.k298).epsilon(0.01));
    }
}

TEST_CASE("rate_constants folds M, O2 and H2O in and scales the J values", "[unit][chemistry]") {
    const Mechanism& m = cb6r3();
    const double T = 298.15, p = 101325.0, h2o = 3.9e17;  // molecules cm-3 (about 50 % RH)
    const double M = air_number_density(T, p);
    std::vector<double> j(m.photolysis_names.size());
    for (std::size_t i = 0; i < j.size(); ++i) j[i] = 1e-3 * static_cast<double>(i + 1);  // s-1
    std::vector<double> k(m.reactions.size());
    rate_constants(m, T, p, h2o, j.data(), k.data());
    const auto law = [&](const char* id) { return law_rate_constant(m, reaction(m, id), T, M, j.data()); };
    CHECK(k[reaction(m, "R2")] == Approx(law("R2") * 0.2095 * M * M));
    CHECK(k[reaction(m, "R4")] == Approx(law("R4") * M));
    CHECK(k[reaction(m, "R11")] == Approx(2.14e-10 * h2o));
    CHECK(k[reaction(m, "R20")] == Approx(law("R20") * h2o));
    CHECK(k[reaction(m, "R24")] == Approx(law("R24") * 0.2095 * M));
    CHECK(k[reaction(m, "R124")] == Approx(law("R124") * 1.85e-6 * M));  // CH4 fixed at 1.85 ppm
    CHECK(k[reaction(m, "R6")] == Approx(2.1061e-12).epsilon(0.01));   // troe: M already in the law
    const int no2 = m.find_photolysis("NO2_IUPAC10");
    CHECK(k[reaction(m, "R1")] == Approx(j[no2]));
    CHECK(k[reaction(m, "R197")] == Approx(0.05 * j[no2]));
    CHECK(k[reaction(m, "R201")] == Approx(0.028 * j[no2]));
    CHECK(k[reaction(m, "R90")] == Approx(j[m.find_photolysis("MEPX_IUPAC10")]));
}

TEST_CASE("The compiled ReactionSystem holds only integrated species", "[unit][chemistry]") {
    const Mechanism& m = cb6r3();
    const auto idx = [&](const char* s) { return m.species[m.find_species(s)].integrated_index; };
    const CompiledReaction& r2 = m.system.reactions[reaction(m, "R2")];
    CHECK(r2.reactants == std::vector<int>{idx("O")});
    REQUIRE(r2.products.size() == 1);
    CHECK(r2.products[0].species == idx("O3"));
    const CompiledReaction& r24 = m.system.reactions[reaction(m, "R24")];  // NO + NO + O2 -> 2 NO2
    CHECK(r24.reactants == std::vector<int>{idx("NO"), idx("NO")});
    REQUIRE(r24.products.size() == 1);
    CHECK(r24.products[0].coefficient == 2.0);
    const CompiledReaction& r30 = m.system.reactions[reaction(m, "R30")];  // NO3RAD + NO2 -> NO + NO2
    CHECK(r30.products.size() == 2);
    const CompiledReaction& r128 = m.system.reactions[reaction(m, "R128")];  // ... - 2.5 PAR
    bool negative_par = false;
    for (const Product& pr : r128.products)
        if (pr.species == idx("PAR")) negative_par = pr.coefficient == -2.5;
    CHECK(negative_par);
    CHECK(m.system.reactions[reaction(m, "R3")].label == "R3: O3 + NO -> NO2");
    for (const CompiledReaction& c : m.system.reactions) {
        for (int s : c.reactants) CHECK((s >= 0 && s < m.system.nspecies()));
        for (const Product& pr : c.products) CHECK((pr.species >= 0 && pr.species < m.system.nspecies()));
    }
}

TEST_CASE("Bad mechanism input is a ConfigError naming FILE:LINE", "[unit][chemistry]") {
    // The small mechanism itself is valid.
    const std::string ok = temp_mechanism(kSmallHead, "ok");
    CHECK(read_mechanism_file(ok).reactions.size() == 2);
    std::filesystem::remove(ok);

    expect_error_at("R3 O3 + XX -> NO2 ; arrhenius k=1e-12", "unknown_species", "unknown species XX");
    expect_error_at("R3 O3 + NO -> NO2", "no_rate", "has no rate law");
    expect_error_at("R3 O3 + NO -> NO2 ;", "empty_rate", "has no rate law");
    expect_error_at("R3 O3 + NO -> NO2 ; arrhenius", "no_params", "needs parameter k=");
    expect_error_at("R3 O3 + NO -> NO2 ; lindemann k=1e-12", "unknown_law", "unknown rate-law type 'lindemann'");
    expect_error_at("R3 O3 + NO -> NO2 ; arrhenius k=1.4e-1x2,0,1310", "bad_number", "malformed number '1.4e-1x2'");
    expect_error_at("R3 O3 + NO -> 0.5x*NO2 ; arrhenius k=1e-12", "bad_coefficient", "malformed number '0.5x'");
    expect_error_at("R3 O3 + NO -> O ; arrhenius k=1e-12", "n_imbalance", "nitrogen is not conserved");
    expect_error_at("R3 O3 + NO -> NO2 ; arrhenius k=1e-12 ; unbalanced_N", "false_mark", "marked unbalanced_N but conserves");
    expect_error_at("R3 NO2 -> NO + O ; photolysis", "no_j", "without a J name");
    expect_error_at("R3 NO2 -> NO + O ; photolysis scale=0.5", "no_j_scale", "without a J name");
    expect_error_at("R1 O3 + NO -> NO2 ; arrhenius k=1e-12", "duplicate", "duplicate reaction id R1 (first at line 9)");
    expect_error_at("R3 O3 + NO -> NO2 ; arrhenius k=1e-12 Fc=0.6", "unknown_key", "has no parameter Fc");
    expect_error_at("R3 O3 + NO -> NO2 ; ref R=R9", "bad_ref", "refers to R9");
    expect_error_at("R3 O + NO + M -> NO2 ; troe k0=1e-31 kinf=2e-11", "m_twice", "M is part of the troe law");
    expect_error_at("R3 O3 + NO -> NO2 ; arrhenius k=1e-12 ; fast", "bad_flag", "unknown reaction flag");
    expect_error_at("NO3  62.0  N=1 O=3", "species_in_reactions", "no '->'");  // a species line in [reactions]
}

TEST_CASE("Bad species lines are ConfigErrors naming FILE:LINE", "[unit][chemistry]") {
    const auto expect = expect_config_error;
    const std::string tail = "[reactions]\nR1 NO2 -> NO ; photolysis J=NO2\n";
    expect("[species]\nNO 30 N=1 O=1\nNO2 4x6 N=1 O=2\n" + tail, "molar_mass", 3, "malformed number '4x6'");
    expect("[species]\nNO 30 N=1 O=1\nNO 30 N=1 O=1\n" + tail, "dup_species", 3, "duplicate species NO");
    expect("[species]\nNO 30 N=1 O=1\nNO2 46 N=one O=2\n" + tail, "atoms", 3, "malformed number 'one'");
    expect("[species]\nNO 30 N=1 O=1\nNO2 46\n" + tail, "short", 3, "species line needs");
    expect("NO 30 N=1 O=1\n", "outside", 1, "outside a [species] or [reactions] section");
    expect("[species]\nNO 30 N=1 O=1\nNO2 46 N=1 O=2\n[rxns]\n", "section", 4, "unknown section [rxns]");
}
