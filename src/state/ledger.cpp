// Ledger arithmetic, the budget layout derived from the declared terms, and the printed table.
#include "state/ledger.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>
#include <stdexcept>

namespace lantian {

namespace {
// Budget groups, in the order they are written: sources, boundary, deposition, removal, transformation.
int group_of(TermKind k) {
    switch (k) {
    case TermKind::source: return 0;
    case TermKind::inflow:
    case TermKind::outflow: return 1;
    case TermKind::deposition: return 2;
    case TermKind::removal: return 3;
    case TermKind::transformation: return 4;
    }
    return 5;
}
}  // namespace

double SpeciesLedger::kg(std::string_view term) const {
    for (std::size_t t = 0; t < terms_->size(); ++t)
        if ((*terms_)[t].name == term) return term_kg[t];
    return 0.0;
}

double SpeciesLedger::sum_of(TermKind kind) const {
    double total = 0;
    for (std::size_t t = 0; t < terms_->size(); ++t)
        if ((*terms_)[t].kind == kind) total += term_kg[t];
    return total;
}

double SpeciesLedger::inflow_total_kg() const { return sum_of(TermKind::inflow); }
double SpeciesLedger::outflow_total_kg() const { return sum_of(TermKind::outflow); }
double SpeciesLedger::sources_kg() const { return sum_of(TermKind::source); }

double SpeciesLedger::residual_kg() const {
    // The same order of operations for any set of terms: sources, boundary totals, losses, gains.
    double r = initial_kg;
    for (std::size_t t = 0; t < terms_->size(); ++t)
        if ((*terms_)[t].kind == TermKind::source) r += term_kg[t];
    r += inflow_total_kg();
    r -= outflow_total_kg();
    for (TermKind loss : {TermKind::deposition, TermKind::removal})
        for (std::size_t t = 0; t < terms_->size(); ++t)
            if ((*terms_)[t].kind == loss) r -= term_kg[t];
    for (std::size_t t = 0; t < terms_->size(); ++t)
        if ((*terms_)[t].kind == TermKind::transformation) r += term_kg[t];
    return r - final_kg;
}

Ledger::Ledger(const Ledger& other)
    : tracers_(other.tracers_), terms_(other.terms_), rows_(other.rows_), sectors_(other.sectors_) {
    relink();
}

Ledger& Ledger::operator=(const Ledger& other) {
    tracers_ = other.tracers_;
    terms_ = other.terms_;
    rows_ = other.rows_;
    sectors_ = other.sectors_;
    relink();
    return *this;
}

void Ledger::relink() {
    for (auto& r : rows_) r.terms_ = &terms_;
}

int Ledger::declare(const LedgerTerm& term) {
    if (const int id = find(term.name); id >= 0) {
        if (terms_[id].kind != term.kind)
            throw std::logic_error("ledger term '" + term.name + "' declared twice with different kinds");
        return id;
    }
    terms_.push_back(term);
    for (auto& r : rows_) r.term_kg.push_back(0.0);
    relink();
    return static_cast<int>(terms_.size()) - 1;
}

int Ledger::find(std::string_view name) const {
    for (std::size_t t = 0; t < terms_.size(); ++t)
        if (terms_[t].name == name) return static_cast<int>(t);
    return -1;
}

std::vector<int> Ledger::default_sectors() {
    std::vector<int> s;
    for (int c = 0; c <= static_cast<int>(Sector::fixed); ++c) s.push_back(c);
    return s;
}

void Ledger::add_sector(Sector sector) {
    const int c = static_cast<int>(sector);
    if (std::find(sectors_.begin(), sectors_.end(), c) != sectors_.end()) return;
    sectors_.insert(std::upper_bound(sectors_.begin(), sectors_.end(), c), c);
}

std::vector<int> Ledger::budget_order() const {
    std::vector<int> ids(terms_.size());
    for (std::size_t t = 0; t < ids.size(); ++t) ids[t] = static_cast<int>(t);
    std::stable_sort(ids.begin(), ids.end(), [&](int a, int b) { return group_of(terms_[a].kind) < group_of(terms_[b].kind); });
    return ids;
}

std::vector<std::string> Ledger::term_names() const {
    std::vector<std::string> names = {"initial"};
    for (int t : budget_order()) names.push_back(terms_[t].name);
    names.insert(names.end(), {"final", "residual"});
    for (int c : sectors_) names.push_back("emitted_" + std::string(sector_name(c)));
    return names;
}

std::vector<double> Ledger::values(int s) const {
    const SpeciesLedger& r = rows_[s];
    std::vector<double> v = {r.initial_kg};
    for (int t : budget_order()) v.push_back(r.term_kg[t]);
    v.push_back(r.final_kg);
    v.push_back(r.residual_kg());
    for (int c : sectors_) v.push_back(r.emitted_by_sector_kg[c]);
    return v;
}

std::vector<std::string> Ledger::word_names() const {
    std::vector<std::string> names = {"initial", "final"};
    for (const auto& t : terms_) names.push_back(t.name);
    for (int c : sectors_) names.push_back("emitted_" + std::string(sector_name(c)));
    return names;
}

std::vector<double> Ledger::words(int s) const {
    const SpeciesLedger& r = rows_[s];
    std::vector<double> w = {r.initial_kg, r.final_kg};
    w.insert(w.end(), r.term_kg.begin(), r.term_kg.end());
    for (int c : sectors_) w.push_back(r.emitted_by_sector_kg[c]);
    return w;
}

void Ledger::set_words(int s, const double* w) {
    SpeciesLedger& r = rows_[s];
    r.initial_kg = *w++;
    r.final_kg = *w++;
    for (double& v : r.term_kg) v = *w++;
    for (int c : sectors_) r.emitted_by_sector_kg[c] = *w++;
}

std::string Ledger::table() const {
    // Columns: initial, each source, inflow and outflow totals, each loss and transformation, final.
    struct Column {
        std::string header;
        int term;  // -1: boundary total (inflow or outflow by `in`)
        bool in;
    };
    std::vector<Column> columns;
    bool boundary = false;
    for (int t : budget_order()) {
        const LedgerTerm& term = terms_[t];
        if (term.kind == TermKind::inflow || term.kind == TermKind::outflow) {
            if (!boundary) columns.insert(columns.end(), {{"inflow", -1, true}, {"outflow", -1, false}});
            boundary = true;
        } else {
            columns.push_back({term.column.empty() ? term.name : term.column, t, false});
        }
    }
    std::ostringstream o;
    o << "mass budget (kg)\n" << std::setw(8) << "species" << std::setw(13) << "initial";
    for (const Column& c : columns) o << std::setw(13) << c.header;
    o << std::setw(13) << "final" << std::setw(12) << "residual" << std::setw(11) << "rel." << "\n";
    for (int s = 0; s < size(); ++s) {
        const SpeciesLedger& r = rows_[s];
        double gains = r.initial_kg + r.sources_kg() + r.inflow_total_kg();
        for (std::size_t t = 0; t < terms_.size(); ++t)
            if (terms_[t].kind == TermKind::transformation) gains += std::max(r.term_kg[t], 0.0);
        const double scale = std::max({gains, r.final_kg, 1e-30});
        o << std::setw(8) << tracers_[s] << std::scientific << std::setprecision(4) << std::setw(13) << r.initial_kg;
        for (const Column& c : columns)
            o << std::setw(13) << (c.term >= 0 ? r.term_kg[c.term] : c.in ? r.inflow_total_kg() : r.outflow_total_kg());
        o << std::setw(13) << r.final_kg << std::setprecision(2) << std::setw(12) << r.residual_kg() << std::setw(11)
          << r.residual_kg() / scale << std::defaultfloat << "\n";
    }
    bool any_sector = false;
    for (const auto& r : rows_)
        for (double e : r.emitted_by_sector_kg) any_sector = any_sector || e != 0;
    if (!any_sector) return o.str();
    o << "emitted by sector (kg)\n" << std::setw(8) << "species";
    // 12 characters a column, wider for a longer sector name (dust_windblown).
    const auto width = [](int c) { return std::max<int>(12, static_cast<int>(sector_name(c).size()) + 1); };
    for (int c : sectors_) o << std::setw(width(c)) << sector_name(c);
    o << "\n";
    for (int s = 0; s < size(); ++s) {
        o << std::setw(8) << tracers_[s] << std::scientific << std::setprecision(3);
        for (int c : sectors_) o << std::setw(width(c)) << rows_[s].emitted_by_sector_kg[c];
        o << std::defaultfloat << "\n";
    }
    return o.str();
}

}  // namespace lantian
