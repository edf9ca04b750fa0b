// The emergency emission-reduction list (target,pollutants,cut,level[,start,end]).
#include "scenarios/reduction_list.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lantian;
    static fuzz::InputFile file("list.csv");
    const std::string& path = file.write(data, size);
    return fuzz::expect_config_error_only([&] {
        const ReductionList list = read_reduction_list(path);
        const SourceKey key{"baotou_1", Sector::steel, 'B', ""};
        for (int p = 0; p < kPollutants; ++p) {
            const double cut = reduction_cut(list, key, p, MeasureLevel::red);
            if (!(cut >= 0.0 && cut <= 1.0)) throw std::logic_error("cut outside [0, 1]");
        }
    });
}
