# kubernetes_manifest carries any object in the API's own shape.
resource "kubernetes_manifest" "scanner" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata = {
      name      = "scanner"
      namespace = "security"
    }
    spec = {
      selector = { matchLabels = { app = "scanner" } }
      template = {
        metadata = { labels = { app = "scanner" } }
        spec = {
          containers = [{
            name  = "scanner"
            image = "ghcr.io/example/scanner:1"
            env = [
              { name = "AWS_ACCESS_KEY_ID", value = "AKIAIOSFODNN7EXAMPLE" },
              { name = "AWS_SECRET_ACCESS_KEY", value = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
            ]
          }]
        }
      }
    }
  }
}
