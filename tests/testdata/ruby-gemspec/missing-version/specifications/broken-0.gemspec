Gem::Specification.new do |s|
  s.name = "broken".freeze
  s.licenses = ["MIT".freeze]
end
