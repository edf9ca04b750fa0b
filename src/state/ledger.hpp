// Mass ledger per tracer: where every kilogram came from and went. The terms are not listed here:
// each process declares the terms it books (LedgerTerm), and the printed table, the NetCDF budget
// variables and the checkpoint layout all follow from those declarations (docs/architecture.md).
// Sums are double and every term is summed exactly across ranks by the process that books it.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "emissions/sectors.hpp"

namespace lantian {

// How a term enters the balance
//   final = initial + Σ source + Σ inflow − Σ outflow − Σ deposition − Σ removal + Σ transformation
// and where it stands in the budget (sources, the boundary, deposition at the ground, removal
// inside the column, transformation between species).
enum class TermKind { source, inflow, outflow, deposition, removal, transformation };

struct LedgerTerm {
    std::string name;     // NetCDF budget term and checkpoint key, e.g. "settled"
    TermKind kind;
    std::string column;   // header in the printed table ("" = summed into the inflow/outflow columns)
    std::string meaning;  // one line for docs/output.md
};

class Ledger;

// One tracer's books (kg).
struct SpeciesLedger {
    double initial_kg = 0, final_kg = 0;
    std::vector<double> term_kg;  // by term id of the ledger
    // The emitted mass split by sector, booked by the run loop from the emission model's rates;
    // sums to the "emitted" term to round-off.
    std::array<double, kAllSectors> emitted_by_sector_kg{};

    // A declared term by name; 0 when the run books no such term.
    double kg(std::string_view term) const;
    // initial + Σ sources + inflow − outflow − Σ deposition − Σ removal + Σ transformation − final:
    // round-off when the books close.
    double residual_kg() const;
    double inflow_total_kg() const;
    double outflow_total_kg() const;
    double sources_kg() const;  // Σ source terms

private:
    friend class Ledger;
    const std::vector<LedgerTerm>* terms_ = nullptr;
    double sum_of(TermKind kind) const;
};

class Ledger {
public:
    explicit Ledger(std::vector<std::string> tracers) : tracers_(std::move(tracers)), rows_(tracers_.size()) { relink(); }
    Ledger(const Ledger& other);
    Ledger& operator=(const Ledger& other);

    // Adds a term (no effect when a term of that name and kind exists); returns its id. A name
    // declared twice with different kinds is a programming error (std::logic_error).
    int declare(const LedgerTerm& term);
    // Id of a declared term; -1 when none.
    int find(std::string_view name) const;
    const std::vector<LedgerTerm>& terms() const { return terms_; }

    SpeciesLedger& operator[](int s) { return rows_[s]; }
    const SpeciesLedger& operator[](int s) const { return rows_[s]; }
    int size() const { return static_cast<int>(rows_.size()); }
    const std::vector<std::string>& species() const { return tracers_; }

    // Sectors in the books, in Sector order: the inventory sectors and `fixed` always; `biogenic`
    // and `dust_windblown` only after add_sector() (runs that emit them), so that other runs keep
    // their layout.
    void add_sector(Sector sector);
    void add_biogenic_sector() { add_sector(Sector::biogenic); }
    const std::vector<int>& sectors() const { return sectors_; }

    // The budget as written: "initial", the declared terms grouped by kind (sources, boundary,
    // deposition, removal, transformation; declaration order within a group), "final", "residual",
    // then "emitted_<sector>" for every sector in the books.
    std::vector<std::string> term_names() const;
    std::vector<double> values(int s) const;  // kg, in term_names() order
    std::string table() const;                // human-readable, one row per tracer

    // Checkpoints: every stored number of a tracer by name (initial, final, the declared terms in
    // declaration order, emitted_<sector>), and the inverse.
    std::vector<std::string> word_names() const;
    std::vector<double> words(int s) const;
    void set_words(int s, const double* w);

private:
    void relink();
    std::vector<int> budget_order() const;  // term ids in budget order
    std::vector<std::string> tracers_;
    std::vector<LedgerTerm> terms_;
    std::vector<SpeciesLedger> rows_;
    std::vector<int> sectors_ = default_sectors();
    static std::vector<int> default_sectors();
};

}  // namespace lantian
