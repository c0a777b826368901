# -*- encoding: utf-8 -*-
# stub: json 1.8.6 ruby lib
# stub: ext/json/ext/generator/extconf.rb ext/json/ext/parser/extconf.rb

Gem::Specification.new do |s|
  s.name = "json".freeze
  s.version = "1.8.6"

  s.required_rubygems_version = Gem::Requirement.new(">= 0".freeze) if s.respond_to? :required_rubygems_version=
  s.require_paths = ["lib".freeze]
  s.authors = ["Florian Frank".freeze, "J\u00F6rg M\u00FCller".freeze]
  s.date = "2017-01-13"
  s.homepage = "http://flori.github.com/json".freeze
  s.license = "Ruby".freeze
  s.summary = "JSON Implementation for Ruby \"fast\"".freeze

  if s.respond_to? :specification_version then
    s.specification_version = 4

    if Gem::Version.new(Gem::VERSION) >= Gem::Version.new('1.2.0') then
      s.add_development_dependency(%q<rake>.freeze, [">= 0"])
      s.add_dependency(%q<sdoc>.freeze, ["~> 0.3.16"])
    else
      s.add_dependency(%q<rake>.freeze, [">= 0"])
    end
  else
    s.add_dependency(%q<sdoc>.freeze, ["~> 0.3.16"])
  end
end
