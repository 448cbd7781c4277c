#include <ix/adapters/plugin_data.hpp>
#include <ix/extension.hpp>

#include "ix/v1/plugin.pb.h"

namespace ix::adapters {

Result<std::vector<v1::Definition>> PluginDefinitions(const PluginSession& plugin) {
  v1::DescribeRequest request;
  request.set_include_definitions(true);
  auto response = plugin.Call<v1::DescribeResponse>(plugin.table().describe, request);
  if (!response.ok()) return response.status();
  return std::vector<v1::Definition>(response->definitions().begin(), response->definitions().end());
}

Result<v1::ForsorjningshinderTable> PluginForsorjningshinder(const PluginSession& plugin) {
  auto describe = RequireExtensionFunction<&ix_categorisation_v1::describe>(plugin);
  if (!describe.ok()) return describe.status();
  auto response = plugin.Call<v1::CategorisationDescribeResponse>(*describe, v1::CategorisationDescribeRequest());
  if (!response.ok()) return response.status();
  if (response->data().forsorjningshinder_tables_size() == 0) {
    return Status(StatusCode::kNotFound, "the plugin carries no försörjningshinder table");
  }
  return response->data().forsorjningshinder_tables(0);
}

}  // namespace ix::adapters
