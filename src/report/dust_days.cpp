// Dust-affected hours and days (proxy of 环办监测〔2016〕120号): classification and period statistics.
#include "report/dust_days.hpp"

namespace lantian {

DustHour classify_dust_hour(const DustDaysConfig& c, double model_dust, double model_pm10, double obs_pm25,
                            double obs_pm10) {
    DustHour h;
    if (std::isfinite(obs_pm25) && std::isfinite(obs_pm10)) {
        // Observed: coarse-dominated air (PM2.5/PM10 ≤ ratio) at a PM10 above the floor.
        h.evidence = DustEvidence::observed;
        h.dust = obs_pm10 > c.obs_pm10_min_ug_m3 && obs_pm25 <= c.obs_ratio_max * obs_pm10;
        return h;
    }
    if (std::isfinite(model_dust) && std::isfinite(model_pm10) && model_pm10 > 0) {
        // Model: dust share of PM10 = DUST / PM10_total.
        h.evidence = DustEvidence::model;
        h.dust = model_dust >= c.model_share_min * model_pm10;
    }
    return h;
}

aqi::AqiResult daily_aqi_without_pm(aqi::Concentrations c) {
    c.pm10_24h = std::nan("");
    c.pm25_24h = std::nan("");
    return aqi::daily_aqi(c);
}

DustStatistics dust_period_statistics(const std::vector<DustDayValues>& days, bool without_dust) {
    DustStatistics st;
    double sum25 = 0, sum10 = 0;
    int n25 = 0, n10 = 0;
    for (const auto& d : days) {
        if (!d.complete) continue;
        ++st.days;
        st.dust_days += d.dust_day ? 1 : 0;
        const int aqi = (without_dust && d.dust_day) ? d.aqi_without_dust : d.aqi;
        st.heavy_days += aqi::heavy_pollution(aqi) ? 1 : 0;
        if (without_dust && d.dust_day) continue;  // PM10 and PM2.5 of a dust day leave the assessment
        ++st.pm_days;
        if (std::isfinite(d.pm25)) {
            sum25 += d.pm25;
            ++n25;
            st.pm25_exceed_days += d.pm25 > kPm25Limit24hUgM3 ? 1 : 0;
        }
        if (std::isfinite(d.pm10)) {
            sum10 += d.pm10;
            ++n10;
            st.pm10_exceed_days += d.pm10 > kPm10Limit24hUgM3 ? 1 : 0;
        }
    }
    if (n25) st.mean_pm25 = sum25 / n25;
    if (n10) st.mean_pm10 = sum10 / n10;
    return st;
}

}  // namespace lantian
