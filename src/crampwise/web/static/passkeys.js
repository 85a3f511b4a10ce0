/* crampwise passkeys (WebAuthn): sign in without a password, the passkey step after a
   password, and adding a passkey on the account page. The server makes and checks every
   challenge; this file only carries bytes between it and navigator.credentials. Pages work
   without it (password sign-in); the passkey parts stay hidden where WebAuthn is missing. */
(function () {
  'use strict';
  if (!window.PublicKeyCredential || !navigator.credentials) return;

  function toBytes(text) {
    var b64 = text.replace(/-/g, '+').replace(/_/g, '/');
    while (b64.length % 4) b64 += '=';
    var raw = atob(b64), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out.buffer;
  }
  function toText(buffer) {
    var bytes = new Uint8Array(buffer), raw = '';
    for (var i = 0; i < bytes.length; i++) raw += String.fromCharCode(bytes[i]);
    return btoa(raw).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : '';
  }
  function post(url, body) {
    return fetch(url, {
      method: 'POST', credentials: 'same-origin', body: JSON.stringify(body || {}),
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf(), 'Accept': 'application/json' }
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (data) {
        if (!resp.ok) throw new Error(typeof data.detail === 'string' ? data.detail : 'the server said no (' + resp.status + ')');
        return data;
      });
    });
  }
  function descriptors(list) {
    return (list || []).map(function (d) { return { type: d.type, id: toBytes(d.id), transports: d.transports }; });
  }
  function say(text) {
    var box = document.getElementById('passkey-status');
    if (box) box.textContent = text;
  }

  function getAssertion(options) {
    var publicKey = {
      challenge: toBytes(options.challenge), rpId: options.rpId, timeout: options.timeout,
      userVerification: options.userVerification, allowCredentials: descriptors(options.allowCredentials)
    };
    return navigator.credentials.get({ publicKey: publicKey }).then(function (cred) {
      var r = cred.response;
      return {
        id: cred.id, rawId: toText(cred.rawId), type: cred.type,
        authenticatorAttachment: cred.authenticatorAttachment || null, clientExtensionResults: {},
        response: {
          clientDataJSON: toText(r.clientDataJSON), authenticatorData: toText(r.authenticatorData),
          signature: toText(r.signature), userHandle: r.userHandle ? toText(r.userHandle) : null
        }
      };
    });
  }

  function ceremony(section, optionsUrl, finishUrl) {
    var next = section.getAttribute('data-next') || '/';
    say('Waiting for your passkey…');
    post(optionsUrl).then(getAssertion).then(function (credential) {
      return post(finishUrl + '?next=' + encodeURIComponent(next), credential);
    }).then(function (data) {
      location.assign(data.next || '/');
    }).catch(function (err) { say('The passkey did not work: ' + err.message); });
  }

  var login = document.querySelector('[data-passkey-login]');
  if (login) {
    login.hidden = false;
    document.getElementById('passkey-login').addEventListener('click', function () {
      ceremony(login, '/login/passkey/options', '/login/passkey');
    });
  }
  var second = document.querySelector('[data-passkey-second]');
  if (second) {
    document.getElementById('passkey-second').addEventListener('click', function () {
      ceremony(second, '/login/second-factor/options', '/login/second-factor');
    });
  }

  var register = document.querySelector('[data-passkey-register]');
  if (register) {
    register.hidden = false;
    register.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var label = (document.getElementById('passkey-label') || {}).value || '';
      say('Follow your browser: it asks for your screen lock…');
      post('/account/passkeys/options').then(function (o) {
        var publicKey = {
          rp: o.rp, challenge: toBytes(o.challenge), timeout: o.timeout, attestation: o.attestation,
          user: { id: toBytes(o.user.id), name: o.user.name, displayName: o.user.displayName },
          pubKeyCredParams: o.pubKeyCredParams, authenticatorSelection: o.authenticatorSelection,
          excludeCredentials: descriptors(o.excludeCredentials)
        };
        return navigator.credentials.create({ publicKey: publicKey });
      }).then(function (cred) {
        var r = cred.response;
        return post('/account/passkeys', {
          label: label,
          credential: {
            id: cred.id, rawId: toText(cred.rawId), type: cred.type,
            authenticatorAttachment: cred.authenticatorAttachment || null, clientExtensionResults: {},
            response: {
              clientDataJSON: toText(r.clientDataJSON), attestationObject: toText(r.attestationObject),
              transports: r.getTransports ? r.getTransports() : []
            }
          }
        });
      }).then(function () { location.assign('/account?added=1'); })
        .catch(function (err) { say('The passkey was not added: ' + err.message); });
    });
  }
})();
