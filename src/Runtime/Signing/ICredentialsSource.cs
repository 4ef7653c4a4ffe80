namespace PromptGen.Signing;

/// <summary>Supplies the credentials used to sign each request; implementations cache and refresh as needed.</summary>
internal interface ICredentialsSource
{
    /// <summary>Returns current credentials. Called once per request attempt, so it must be cheap when cached.</summary>
    ValueTask<SigningCredentials> GetCredentialsAsync(CancellationToken cancellationToken);
}
