# An environment is imported by its name. The next plan fills in everything
# else from the configuration, as an in-place update that touches no cloud
# resource.
terraform import segmented_ml_environment.prod prod
