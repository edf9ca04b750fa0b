// Tag groups by sector or by reduction-list signature.
#include "scenarios/tagging.hpp"

#include <cmath>
#include <set>
#include <sstream>

#include "chemistry/linear_mechanism.hpp"
#include "config/config_parser.hpp"
#include "scenarios/reduction_list.hpp"
#include "scenarios/regions.hpp"
#include <algorithm>

namespace lantian {

TagGrouping::TagGrouping(const Config& cfg, const Inventory& inv) : kind_(cfg.tags.by) {
    if (kind_ == TagKind::none) return;
    const RegionSet regions(cfg.regions);
    regions_ = regions.names();
    if (kind_ == TagKind::region) {
        for (const auto& r : regions_) {
            names_.push_back(r);
            descriptions_.push_back("every source in region " + r);
        }
        names_.push_back("outside");
        descriptions_.push_back("sources in no named region");
    } else if (kind_ == TagKind::sector_region) {
        for (int s = 0; s < kInventorySectors; ++s)
            for (std::size_t r = 0; r <= regions_.size(); ++r) {
                const std::string where = r < regions_.size() ? regions_[r] : "outside";
                names_.push_back(std::string(sector_name(s)) + "_" + where);
                descriptions_.push_back("sector " + std::string(sector_name(s)) + " in " + where);
            }
    } else if (kind_ == TagKind::sector) {
        for (int s = 0; s < kInventorySectors; ++s) {
            names_.emplace_back(sector_name(s));
            descriptions_.push_back("every source of sector " + std::string(sector_name(s)));
        }
    } else {
        // Sources with the same cut for every list, level and pollutant share a tag.
        std::vector<ReductionList> lists;
        for (const auto& path : cfg.tags.lists) lists.push_back(read_reduction_list(resolve_path(cfg, path)));
        std::map<std::vector<double>, int> by_signature;
        struct Members {
            int stacks = 0, roads = 0, cells = 0;
            std::set<std::string> sectors, plants;
            std::set<char> grades;
        };
        std::vector<Members> members;
        auto assign = [&](const std::string& id, Sector sector, char grade, const std::string& region, int Members::*count) {
            const auto key = std::make_tuple(id, static_cast<int>(sector), grade, region);
            if (by_key_.count(key)) {
                ++(members[by_key_[key]].*count);
                return;
            }
            std::vector<double> sig;
            for (const auto& l : lists)
                for (int level = 0; level < 4; ++level)
                    for (int p = 0; p < kPollutants; ++p)
                        sig.push_back(reduction_cut(l, SourceKey{id, sector, grade, region}, p, static_cast<MeasureLevel>(level)));
            auto it = by_signature.find(sig);
            if (it == by_signature.end()) {
                it = by_signature.emplace(sig, static_cast<int>(members.size())).first;
                members.emplace_back();
            }
            by_key_[key] = it->second;
            Members& m = members[it->second];
            ++(m.*count);
            m.sectors.insert(std::string(sector_name(sector)));
            if (!id.empty()) m.plants.insert(id);
            if (grade) m.grades.insert(grade);
        };
        for (const PointStack& p : inv.points) assign(p.id, p.sector, p.grade, regions.region_of(p.lon, p.lat), &Members::stacks);
        for (const RoadLink& r : inv.roads) assign("", Sector::traffic, 0, regions.region_of(r.path), &Members::roads);
        for (const AreaCell& a : inv.areas)
            assign("", a.sector, 0, regions.region_of(0.5 * (a.lon0 + a.lon1), 0.5 * (a.lat0 + a.lat1)), &Members::cells);
        std::set<std::string> used;
        for (std::size_t g = 0; g < members.size(); ++g) {
            const Members& m = members[g];
            std::string name;
            if (m.stacks == 1 && m.roads == 0 && m.cells == 0) {
                name = *m.plants.begin();
            } else {
                for (const auto& s : m.sectors) name += (name.empty() ? "" : "_") + s;
                if (m.grades.size() == 1 && m.roads == 0 && m.cells == 0) name += std::string("_grade") + *m.grades.begin();
            }
            std::string unique = name;
            for (int k = 2; used.count(unique); ++k) unique = name + "_" + std::to_string(k);
            used.insert(unique);
            names_.push_back(unique);
            std::ostringstream d;
            d << m.stacks << " stack(s), " << m.roads << " road link(s), " << m.cells << " area cell(s)";
            descriptions_.push_back(d.str());
        }
    }
    base_count_ = static_cast<int>(names_.size());
    if (cfg.tags.period_h > 0) {
        // Every source group split by emission period: group G, period p → "G_p<p+1>".
        period_h_ = cfg.tags.period_h;
        periods_ = std::max(1, static_cast<int>(std::ceil(cfg.run.hours / period_h_ - 1e-9)));
        std::vector<std::string> names, descriptions;
        for (int g = 0; g < base_count_; ++g)
            for (int p = 0; p < periods_; ++p) {
                names.push_back(names_[g] + "_p" + std::to_string(p + 1));
                std::ostringstream d;
                d << descriptions_[g] << ", emitted in hours " << p * period_h_ << "–" << (p + 1) * period_h_ << " of the run";
                descriptions.push_back(d.str());
            }
        names_ = std::move(names);
        descriptions_ = std::move(descriptions);
    }
    names_.push_back("fixed");
    descriptions_.push_back("constant-rate sources of [sources]");
    names_.push_back("background");
    descriptions_.push_back("initial state and inflow through the boundaries");
}

std::vector<std::string> tagged_species(const Config& cfg, const std::vector<std::string>& species,
                                        std::vector<std::string>* added) {
    if (cfg.tags.species.empty()) return species;
    auto has = [](const std::vector<std::string>& v, const std::string& n) { return std::find(v.begin(), v.end(), n) != v.end(); };
    std::vector<std::string> wanted = cfg.tags.species;
    if (cfg.chemistry.enabled)
        for (bool grew = true; grew;) {  // a chain of conversions closes in as many passes as it is long
            grew = false;
            for (const auto& [from, to] : linear_conversion_species())
                if (has(wanted, to) && !has(wanted, from) && has(species, from)) {
                    wanted.emplace_back(from);
                    if (added) added->emplace_back(from);
                    grew = true;
                }
        }
    std::vector<std::string> out;
    for (const auto& s : species)
        if (has(wanted, s)) out.push_back(s);
    return out;
}

int TagGrouping::group_of(const std::string& id, Sector sector, char grade, const std::string& region) const {
    if (kind_ == TagKind::sector) return static_cast<int>(sector);
    const int r = static_cast<int>(std::find(regions_.begin(), regions_.end(), region) - regions_.begin());  // size = outside
    if (kind_ == TagKind::region) return r;
    if (kind_ == TagKind::sector_region) return static_cast<int>(sector) * static_cast<int>(regions_.size() + 1) + r;
    const auto it = by_key_.find(std::make_tuple(id, static_cast<int>(sector), grade, region));
    return it == by_key_.end() ? -1 : it->second;
}

}  // namespace lantian
