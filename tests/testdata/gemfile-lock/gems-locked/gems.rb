source "https://rubygems.org"
gem "rake"
if ENV["CI"]
  gem "simplecov"
end
gem "minitest", groups: [:development, :test]
