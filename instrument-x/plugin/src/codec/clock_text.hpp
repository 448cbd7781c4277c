// A profile's clocks as written (proto) to the core's ClockText, which CompileClocks checks.
// A template over the message type so the plugin (lite runtime) and the profile fuzz target
// (full runtime, tests/fuzz/targets/profile_clocks.cpp) read profiles the one same way.
#ifndef IX_PLUGIN_CODEC_CLOCK_TEXT_HPP
#define IX_PLUGIN_CODEC_CLOCK_TEXT_HPP

#include <ix/core/clocks/clocks.hpp>

#include <optional>
#include <vector>

namespace ix::plugin {

// The list is bounded before anything is copied: past kMaxClocks only its length is passed
// on (empty texts), and CompileClocks refuses the count alone.
template <typename Profile>
std::vector<core::clocks::ClockText> ClockTextsOf(const Profile& profile) {
  std::vector<core::clocks::ClockText> texts;
  if (profile.process_clocks_size() > static_cast<int>(core::clocks::kMaxClocks)) {
    texts.resize(static_cast<size_t>(profile.process_clocks_size()));
    return texts;
  }
  for (const auto& c : profile.process_clocks()) {
    core::clocks::ClockText t;
    t.name = c.name();
    t.label = {c.label().sv(), c.label().en()};
    t.start = c.start();
    t.amount = c.amount();
    t.unit = c.unit();
    t.conditions.assign(c.conditions().begin(), c.conditions().end());
    t.done = c.done();
    if (c.has_on()) t.on = c.on();
    texts.push_back(std::move(t));
  }
  return texts;
}

}  // namespace ix::plugin

#endif  // IX_PLUGIN_CODEC_CLOCK_TEXT_HPP
